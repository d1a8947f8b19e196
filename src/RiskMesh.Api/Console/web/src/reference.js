// Loaded by the API reference at /reference (Scalar's configuration module, served by RiskMesh like the console).
// Scalar hard-codes an example token as the placeholder of its authentication value box
// ("QUxM…", base64 of an old meme); newcomers take it for a real, pre-filled key. The box is left empty instead.
const example = 'QUxMIFlPVVIgQkFTRSBBUkUgQkVMT05HIFRPIFVT';

function clear() {
  for (const input of document.querySelectorAll(`[placeholder="${example}"]`)) {
    input.setAttribute('placeholder', '');
  }
}

new MutationObserver(clear).observe(document.documentElement, {
  subtree: true, childList: true, attributes: true, attributeFilter: ['placeholder'],
});
clear();

// Nothing to add to the configuration RiskMesh already sends.
export default {};
