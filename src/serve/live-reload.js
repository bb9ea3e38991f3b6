// Injected by `ladder serve` into every HTML page it serves (never into a built site): reload
// when a rebuild lands; when the last change has problems, show them over the last good build
// (or, before the first good build, over the page of problems served for every address).
(function () {
  var s = new EventSource("/__ladder/events");
  s.addEventListener("reload", function () { location.reload(); });
  s.addEventListener("errors", function (e) {
    var o = document.getElementById("ladder-overlay");
    if (!o) {
      o = document.createElement("div");
      o.id = "ladder-overlay";
      o.setAttribute("role", "alert");
      o.style.cssText = "position:fixed;inset:0 0 auto 0;max-height:60vh;overflow:auto;background:#fff0f0;color:#600;border-bottom:3px solid #c00;padding:1rem;font:14px/1.4 monospace;z-index:9999";
      document.body.appendChild(o);
    }
    var l = JSON.parse(e.data);
    o.textContent = "";
    var h = document.createElement("strong");
    h.textContent = document.documentElement.hasAttribute("data-ladder-unbuilt")
      ? "ladder: the site has problems, so nothing is built yet; this page shows the site once they are fixed."
      : "ladder: the last change has problems; showing the last good build.";
    o.appendChild(h);
    var u = document.createElement("ul");
    l.forEach(function (d) {
      var i = document.createElement("li");
      // textContent, never innerHTML: messages quote the content, which is hostile by design.
      i.textContent = d.file + (d.line ? ":" + d.line : "") + ": " + (d.field ? d.field + ": " : "") + d.message;
      u.appendChild(i);
    });
    o.appendChild(u);
  });
})();
