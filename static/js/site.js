// Progressive enhancement only: every page works without this file.
// "Copy link" buttons start hidden and appear once the clipboard is usable.
document.querySelectorAll("[data-copy]").forEach((button) => {
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    await navigator.clipboard.writeText(button.dataset.copy);
    const status = document.getElementById(button.getAttribute("aria-controls"));
    if (status) status.textContent = button.dataset.copied;
  });
});

// A wide screen shows the filters beside the results whether their <details> is
// open or not (site.css); open it, so assistive technology does not announce a
// visible panel as collapsed, and a browser that cannot show it with CSS alone shows it.
const filtersPanel = document.getElementById("filters-panel");
if (filtersPanel && window.matchMedia("(min-width: 52rem)").matches) filtersPanel.open = true;

// The filters form, its chips and "Clear all" answer into #results one request
// at a time (hx-sync queue last): replacing a request in flight aborts it, and
// htmx logs every abort as a console error. A queued request reads the form
// only when it leaves, so an older answer must not be swapped in once the
// reader has changed the form since it was asked: its option lists would
// untick what the reader just ticked, and the queued request would send that.
const filtersForm = document.getElementById("filters");
if (filtersForm) {
  const formState = () => new URLSearchParams(new FormData(filtersForm)).toString();
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.target && event.detail.target.id === "results") event.detail.xhr.formState = formState();
  });
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const asked = event.detail.xhr.formState;
    if (asked !== undefined && asked !== formState()) event.detail.shouldSwap = false;
  });
}

// The language switcher comes back to the page's address: once htmx has
// changed it (a filter chosen), to the new one, filters and all.
document.body.addEventListener("htmx:pushedIntoHistory", () => {
  document.querySelectorAll("[data-language-next]").forEach((input) => {
    input.value = window.location.pathname + window.location.search;
  });
});
