// Progressive enhancement only: every page works without this file.
// "Copy link" buttons start hidden and appear once the clipboard is usable.
document.querySelectorAll("[data-copy]").forEach((button) => {
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    await navigator.clipboard.writeText(button.dataset.copy);
    const status = document.getElementById(button.getAttribute("aria-controls"));
    if (status) status.textContent = "Link copied.";
  });
});
