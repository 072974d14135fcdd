// The admin's own pages, a little kinder to editors. Everything works without it.

// After a refused save, show the first error where it is (the field may be far
// below the "Please correct the errors below" banner) and put the cursor in it.
window.addEventListener("load", () => {
  const error = document.querySelector("#content-main form ul.errorlist");
  if (!error) return;
  let row = error.closest(".form-row, tr, fieldset") || error;
  row.scrollIntoView({ block: "center" });
  // A tabular inline puts a row's errors in a row of their own, above the row's fields.
  if (row.matches("tr.row-form-errors") && row.nextElementSibling) row = row.nextElementSibling;
  const field = row.querySelector("input:not([type=hidden]), select:not([aria-hidden=true]), textarea");
  if (field) field.focus({ preventScroll: true });
});
