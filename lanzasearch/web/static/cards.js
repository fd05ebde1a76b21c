// Loaded by tabs.py as the js_on_load of every HTML area holding cards (Gradio gives it `element` and `trigger`).
const copyText = (text) => {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  const area = document.createElement('textarea');
  area.value = text;
  document.body.appendChild(area);
  area.select();
  document.execCommand('copy');
  area.remove();
  return Promise.resolve();
};
element.addEventListener('click', (event) => {
  // A chip of what the question was understood to name: search again without it.
  const chip = event.target.closest('button[data-chip]');
  if (chip) { trigger('click', {chip: chip.dataset.chip}); return; }
  const copy = event.target.closest('button[data-copy]');
  if (copy) {
    event.preventDefault();
    // A link is kept relative to the app ("?rec=II-6"): made absolute here, behind any path prefix.
    const text = copy.dataset.link ? new URL(copy.dataset.copy, location.origin + location.pathname).href : copy.dataset.copy;
    const label = copy.textContent;
    copyText(text).then(() => {
      copy.dataset.copied = text;
      copy.textContent = 'Copied';
      setTimeout(() => { copy.textContent = label; }, 1500);
    });
    return;
  }
  const similar = event.target.closest('button[data-similar]');
  if (similar) {
    event.preventDefault();
    trigger('click', {similar: similar.dataset.similar});
    return;
  }
  const link = event.target.closest('a[data-rec]');
  // Modified clicks keep the link's ?rec= address, so a recommendation opens in a new browser tab.
  if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  trigger('click', {rec: link.dataset.rec});
});
