// Installable and usable offline: register the service worker (/sw.js, see
// lifelogger/ui/templates/ui/sw.js), which keeps the app's pages and files.
// Browsers offer service workers only over HTTPS (or on localhost); elsewhere
// the app works online as before, and taps are still queued (queue.js).

function register() {
  navigator.serviceWorker.register("/sw.js").catch((error) => {
    console.warn(`Life Logger cannot work offline in this browser: ${error.message}`);
  });
}

if ("serviceWorker" in navigator) {
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register);
}
