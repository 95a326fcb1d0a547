// Injected by `brief serve` into every page it serves (never into built files).
// Listens for changes over Server-Sent Events: reloads the page when it changed (keeping the scroll
// position), swaps stylesheets in place when only CSS changed, and shows build errors as an overlay.
(() => {
  const KEY = "brief-scroll";
  const here = location.pathname.replace(/index\.html$/, "");
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
    sessionStorage.removeItem(KEY);
    if (saved && saved.path === here) {
      addEventListener("load", () => scrollTo(saved.x, saved.y));
    }
  } catch (_) {}

  const reload = () => {
    sessionStorage.setItem(KEY, JSON.stringify({ path: here, x: scrollX, y: scrollY }));
    location.reload();
  };

  let overlay = null;
  const hideOverlay = () => { if (overlay) { overlay.remove(); overlay = null; } };
  const showOverlay = (text) => {
    hideOverlay();
    overlay = document.createElement("div");
    overlay.id = "brief-error-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,24,.94);" +
      "color:#fff;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem";
    const title = document.createElement("h2");
    title.textContent = "brief: the site has a problem; showing the last good version underneath";
    title.style.cssText = "font:600 16px system-ui,sans-serif;color:#ff8a80;margin:0 0 1rem";
    const pre = document.createElement("pre");
    pre.textContent = text;  // text, never HTML
    pre.style.cssText = "white-space:pre-wrap;margin:0";
    overlay.append(title, pre);
    document.body.append(overlay);
  };

  const source = new EventSource("/__brief/events");
  source.addEventListener("reload", (e) => {
    const pages = JSON.parse(e.data);
    if (pages.length === 0 || pages.includes(here)) reload();
  });
  source.addEventListener("css", () => {
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("brief-reload", Date.now());
      link.href = url.href;
    }
  });
  source.addEventListener("problem", (e) => showOverlay(JSON.parse(e.data)));
  source.addEventListener("fixed", () => hideOverlay());
})();
