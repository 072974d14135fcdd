// Inside an embed (templates/timeline/embed_base.html): tell the page that frames it
// how tall the content is, so the snippet it pasted (timeline/embed.py) sizes the
// frame to it. The height is no secret: any host may read it.
if (window.parent !== window) {
  const reportHeight = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    window.parent.postMessage({ type: "policy-timeline:height", height }, "*");
  };
  new ResizeObserver(reportHeight).observe(document.documentElement);
}
