// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  function all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function el(tag, text) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }

  // Directory: instant filtering of the table.
  var form = document.querySelector("[data-filter-form]");
  if (form) {
    form.hidden = false;
    var rows = all("table.directory tbody tr");
    var count = form.querySelector("[data-filter-count]");
    var apply = function () {
      var want = {};
      all("[data-filter]", form).forEach(function (s) { want[s.getAttribute("data-filter")] = s.value; });
      var shown = 0;
      rows.forEach(function (row) {
        var ok = Object.keys(want).every(function (k) { return !want[k] || row.getAttribute("data-" + k) === want[k]; });
        row.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = shown + " of " + rows.length + " employers shown";
    };
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  }

  // Search: a prebuilt index, results as you type.
  var search = document.querySelector("[data-search]");
  if (search) {
    var input = search.querySelector("[data-search-input]");
    var list = search.querySelector("[data-search-results]");
    var status = search.querySelector("[data-search-status]");
    var index = null;
    fetch(search.getAttribute("data-index")).then(function (r) { return r.json(); }).then(function (data) {
      index = data.map(function (d) { return { d: d, text: (d.t + " " + (d.s || "") + " " + (d.x || "")).toLowerCase() }; });
      run();
    });
    var run = function () {
      if (!index) return;
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      list.textContent = "";
      if (!terms.length) { status.textContent = ""; return; }
      var hits = index.filter(function (e) { return terms.every(function (t) { return e.text.indexOf(t) !== -1; }); });
      hits.sort(function (a, b) {
        var at = terms.every(function (t) { return a.d.t.toLowerCase().indexOf(t) !== -1; }) ? 0 : 1;
        var bt = terms.every(function (t) { return b.d.t.toLowerCase().indexOf(t) !== -1; }) ? 0 : 1;
        return at - bt || (a.d.t < b.d.t ? -1 : 1);
      });
      status.textContent = hits.length + (hits.length === 1 ? " result" : " results");
      hits.slice(0, 25).forEach(function (h) {
        var li = el("li"), a = el("a", h.d.t);
        a.href = h.d.u;
        li.appendChild(a);
        li.appendChild(el("span", " · " + h.d.k));
        if (h.d.s) li.appendChild(el("p", h.d.s));
        list.appendChild(li);
      });
    };
    input.addEventListener("input", run);
    var q = new URLSearchParams(location.search).get("q");
    if (q) input.value = q;
  }

  // Compare: two or three scorecards side by side, shareable as ?e=a,b,c.
  var cmp = document.querySelector("[data-compare]");
  if (cmp) {
    cmp.hidden = false;
    var out = document.querySelector("[data-compare-output]");
    var selects = all("[data-compare-select]", cmp);
    var wanted = (new URLSearchParams(location.search).get("e") || "").split(",").filter(Boolean);
    selects.forEach(function (s, i) { if (wanted[i]) s.value = wanted[i]; });
    fetch(cmp.getAttribute("data-source")).then(function (r) { return r.json(); }).then(function (data) {
      var bySlug = {};
      data.forEach(function (d) { bySlug[d.slug] = d; });
      var draw = function () {
        var picked = selects.map(function (s) { return bySlug[s.value]; }).filter(Boolean);
        out.textContent = "";
        if (!picked.length) return;
        history.replaceState(null, "", "?e=" + picked.map(function (p) { return p.slug; }).join(","));
        var table = el("table"), cap = el("caption", "Side-by-side comparison");
        table.appendChild(cap);
        var head = el("tr");
        head.appendChild(el("th", "")).setAttribute("scope", "col");
        picked.forEach(function (p) {
          var th = el("th"), a = el("a", p.name);
          a.href = p.url; th.setAttribute("scope", "col"); th.appendChild(a); head.appendChild(th);
        });
        var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
        var tbody = el("tbody");
        var addRow = function (label, cell) {
          var tr = el("tr"), th = el("th", label);
          th.setAttribute("scope", "row"); tr.appendChild(th);
          picked.forEach(function (p) { tr.appendChild(cell(p)); });
          tbody.appendChild(tr);
        };
        addRow("Headline", function (p) { return el("td", p.headline); });
        picked[0].rows.forEach(function (r, i) {
          addRow(r.title, function (p) {
            var row = p.rows[i], td = el("td");
            var span = el("span", row.judgement.symbol + " " + row.judgement.text + (row.provisional ? " (provisional)" : ""));
            span.className = "label tone-" + row.judgement.tone;
            td.appendChild(span);
            return td;
          });
        });
        picked[0].chapters.forEach(function (c, i) {
          addRow("Practices: " + c.title, function (p) { return el("td", p.chapters[i].summary); });
        });
        table.appendChild(tbody);
        out.appendChild(table);
      };
      selects.forEach(function (s) { s.addEventListener("change", draw); });
      draw();
    });
  }
})();
