// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  function all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function el(tag, text) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }

  // A table wider than its box scrolls sideways: only then is its box a named, focusable region,
  // so a keyboard can scroll it and a screen reader says so (never on a screen it fits).
  var wraps = all(".table-wrap");
  var mark = function () {
    wraps.forEach(function (w) {
      var table = w.querySelector("table");
      if (!table) return;
      if (w.scrollWidth > w.clientWidth + 1) {
        var caption = table.querySelector("caption");
        w.setAttribute("role", "region");
        w.setAttribute("tabindex", "0");
        w.setAttribute("aria-label", (caption ? caption.textContent.trim() + ": " : "") + "table, scrolls sideways");
      } else {
        w.removeAttribute("role");
        w.removeAttribute("tabindex");
        w.removeAttribute("aria-label");
      }
    });
  };
  if (wraps.length) {
    mark();
    window.addEventListener("resize", mark);
  }

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

  // Search: an index cut into small files (see the README, "How search works"): the manifest
  // names the first word of each word file; a search fetches the word files its words fall in
  // and then only the document files of the results it shows.
  var FOLD_FROM = "àáâãäåāăąçćĉċčďèéêëēĕėęěĝğġģĥìíîïĩīĭįĵķĺļľñńņňòóôõöōŏőŕŗřśŝşšţťùúûüũūŭůűųŵýÿŷźżž";
  var FOLD_TO = "aaaaaaaaacccccdeeeeeeeeegggghiiiiiiiijklllnnnnoooooooorrrssssttuuuuuuuuuuwyyyzzz";
  var WORD = /[\p{Alphabetic}\p{N}\u0300-\u036f]+/gu;
  // The words of a text as the index holds them: lower case, accents off Latin letters.
  var words = function (text) {
    return (text.match(WORD) || []).map(function (w) {
      var out = "";
      Array.from(w.toLowerCase()).forEach(function (c) {
        if (c >= "\u0300" && c <= "\u036f") return;
        var i = FOLD_FROM.indexOf(c);
        out += i === -1 ? c : FOLD_TO[i];
      });
      return out;
    }).filter(function (w) { return w && Array.from(w).length <= 40; });
  };
  // Levenshtein distance, given up past `max`.
  var distance = function (a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
        if (cur[j] < best) best = cur[j];
      }
      if (best > max) return max + 1;
      prev = cur;
    }
    return prev[b.length];
  };
  var shared = function (a, b) { var n = 0; while (n < a.length && n < b.length && a[n] === b[n]) n++; return n; };
  var Index = function (url) {
    var self = this, base = new URL(url, location.href);
    // Fetched on the first search, not before: compare opened with its employers needs none of it.
    var fetched = null;
    var manifest = { then: function (ok, bad) {
      fetched = fetched || fetch(base).then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); });
      return fetched.then(ok, bad);
    } };
    var files = {};
    var get = function (path, how) {
      if (!files[path]) {
        files[path] = manifest.then(function (m) {
          return fetch(new URL(path + "?v=" + m.version, base)).then(function (r) {
            if (!r.ok) throw new Error("HTTP " + r.status);
            return r[how]();
          });
        });
      }
      return files[path];
    };
    // A word file: its words, each with where its two lists of documents lie.
    var chunk = function (n) {
      return get("words/" + n + ".bin", "arrayBuffer").then(function (buf) {
        var b = new Uint8Array(buf), at = 0, out = [], prev = new Uint8Array(0), dec = new TextDecoder();
        var varint = function () { var v = 0, s = 1, x; do { x = b[at++]; v += (x & 127) * s; s *= 128; } while (x & 128); return v; };
        var list = function () { var h = varint(), len = Math.floor(h / 2), l = { bits: h % 2, at: at, len: len }; at += len; return l; };
        while (at < b.length) {
          var keep = varint(), len = varint(), w = new Uint8Array(keep + len);
          w.set(prev.subarray(0, keep)); w.set(b.subarray(at, at + len), keep); at += len; prev = w;
          out.push({ w: dec.decode(w), t: list(), o: list(), b: b });
        }
        return out;
      });
    };
    // Calls `f` with each document of a list: a bitmap, or the gaps between documents as varints.
    var each = function (l, b, f) {
      var i = l.at, end = l.at + l.len, d = -1, v, s, c, k, x;
      if (l.bits) {
        for (; i < end; i++) for (k = 0, x = b[i]; x; k++, x >>= 1) if (x & 1) f((i - l.at) * 8 + k);
        return;
      }
      while (i < end) {
        v = 0; s = 1;
        do { c = b[i++]; v += (c & 127) * s; s *= 128; } while (c & 128);
        d += v; f(d);
      }
    };
    // The documents matching every word of `query`, best first: a word matches itself, a word
    // within one edit (two from eight letters) if it has four letters or more, and the last word
    // any word it starts. Only the word files where the words fall are read.
    self.find = function (query) {
      var terms = words(query);
      if (!terms.length) return Promise.resolve({ ids: [], terms: [] });
      return manifest.then(function (m) {
        var firsts = m.words;
        var at = function (w) { var lo = 0, hi = firsts.length - 1; while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (firsts[mid] <= w) lo = mid; else hi = mid - 1; } return lo; };
        return Promise.all(terms.map(function (t, ti) {
          var last = ti === terms.length - 1, i = at(t), want = [i], n = Array.from(t).length;
          var max = n >= 8 ? 2 : n >= 4 ? 1 : 0;
          if (max && i > 0 && shared(firsts[i], t) >= 3) want.push(i - 1);
          for (var j = i + 1; j < firsts.length && j <= i + 3; j++) {
            if ((last && firsts[j].indexOf(t) === 0) || (max && j === i + 1 && shared(firsts[j], t) >= 3)) want.push(j); else break;
          }
          return Promise.all(want.map(chunk)).then(function (chunks) {
            // Per document: 1 = matches, 2 = in its title, 4 = the word itself.
            var flags = new Uint8Array(m.docs);
            chunks.forEach(function (c) {
              c.forEach(function (e) {
                var exact = e.w === t;
                if (!exact && !(last && e.w.indexOf(t) === 0) && !(max && distance(e.w, t, max) <= max)) return;
                var x = exact ? 5 : 1;
                each(e.t, e.b, function (d) { flags[d] |= x | 2; });
                each(e.o, e.b, function (d) { flags[d] |= x; });
              });
            });
            return flags;
          });
        })).then(function (all) {
          var ids = [], score = new Uint8Array(m.docs);
          for (var d = 0; d < m.docs; d++) {
            var s = 0, ok = true;
            for (var k = 0; k < all.length && ok; k++) { var f = all[k][d]; if (!f) ok = false; else s += (f & 2 ? 2 : 0) + (f & 4 ? 1 : 0); }
            if (ok) { ids.push(d); score[d] = s; }
          }
          ids.sort(function (a, b) { return score[b] - score[a] || a - b; });
          return { ids: ids, employers: m.employers, terms: terms };
        });
      });
    };
    // Title, address, kind and summary of each document, from the document files that hold them.
    self.docs = function (ids) {
      return manifest.then(function (m) {
        return Promise.all(ids.map(function (d) {
          var n = Math.floor(d / m.per_file);
          return get("docs/" + n + ".json", "json").then(function (f) {
            var x = f[d - n * m.per_file];
            return { id: d, t: x[0], u: x[1], k: x[2], s: x[3] };
          });
        }));
      });
    };
  };

  var search = document.querySelector("[data-search]");
  if (search) {
    var input = search.querySelector("[data-search-input]");
    var list = search.querySelector("[data-search-results]");
    var status = search.querySelector("[data-search-status]");
    var more = search.querySelector("[data-search-more]");
    var index = new Index(search.getAttribute("data-index"));
    var PAGE = 10, found = [], shown = 0, asked = 0, timer = null;
    var show = function (mine) {
      var ids = found.slice(shown, shown + PAGE);
      more.hidden = true;
      return index.docs(ids).then(function (docs) {
        if (mine !== asked) return;
        docs.forEach(function (h) {
          var li = el("li"), a = el("a", h.t);
          a.href = h.u;
          li.appendChild(a);
          li.appendChild(el("span", " · " + h.k));
          if (h.s) li.appendChild(el("p", h.s));
          list.appendChild(li);
        });
        shown += ids.length;
        more.hidden = shown >= found.length;
      });
    };
    var run = function () {
      var mine = ++asked;
      index.find(input.value).then(function (r) {
        if (mine !== asked) return;
        list.textContent = "";
        found = r.ids; shown = 0;
        if (!r.terms.length) { status.textContent = ""; more.hidden = true; return; }
        return show(mine).then(function () {
          if (mine === asked) status.textContent = found.length + (found.length === 1 ? " result" : " results");
        });
      }).catch(function () {
        if (mine === asked) status.textContent = "Search could not load its index; browse the employer directory or the stories instead.";
      });
    };
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
    more.addEventListener("click", function () { show(asked); });
    var q = new URLSearchParams(location.search).get("q");
    if (q) { input.value = q; run(); }
  }

  // Compare: two or three scorecards side by side, shareable as ?e=a,b,c. Each picked
  // employer's own open data record is fetched (once), never a file of every employer.
  var cmp = document.querySelector("[data-compare]");
  if (cmp) {
    cmp.hidden = false;
    var out = document.querySelector("[data-compare-output]");
    var download = document.querySelector("[data-compare-download]");
    var picks = all("[data-compare-pick]", cmp);
    var cstatus = cmp.querySelector("[data-compare-status]");
    var names = new Index(cmp.getAttribute("data-index"));
    var records = {};
    // The employer each picker holds (its slug), and the names it last offered.
    var chosen = (new URLSearchParams(location.search).get("e") || "").split(",").filter(Boolean).slice(0, picks.length);
    var offered = picks.map(function () { return {}; });
    var slugOf = function (url) { return decodeURIComponent(url.replace(/\/$/, "").split("/").pop()); };
    var record = function (slug) {
      if (!records[slug]) {
        records[slug] = fetch(cmp.getAttribute("data-records") + encodeURIComponent(slug) + ".json")
          .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); });
      }
      return records[slug];
    };
    var pct = function (x) { return Math.round(x * 100) + "%"; };
    var points = function (x) { var v = Math.round(x * 100); return (v > 0 ? "+" : v < 0 ? "\u2212" : "") + Math.abs(v); };
    // The figures behind a judgement, in the words of the scorecard page: the share with its
    // 95% interval against the benchmark, or the gap in points and the ratio of the two rates.
    var figures = function (row) {
      var t = row.test || {}, i = t.interval;
      if (!i) return "";
      if (t.method === "share_against_benchmark") {
        return pct(i.value) + " working class (" + Math.round(i.lo * 100) + "\u2013" + pct(i.hi) + ")" +
          (typeof t.benchmark === "number" ? "; benchmark " + pct(t.benchmark) : "");
      }
      var text = "gap " + points(i.value) + (Math.abs(Math.round(i.value * 100)) === 1 ? " point" : " points") +
        " (" + points(i.lo) + " to " + points(i.hi) + ")";
      if (t.ratio) text += "; ratio " + t.ratio.value.toFixed(2) + " (" + t.ratio.lo.toFixed(2) + "\u2013" + t.ratio.hi.toFixed(2) + ")";
      return text;
    };
    var judged = function (row) { return row.judgement.symbol + " " + row.judgement.text + (row.provisional ? " (provisional)" : ""); };
    var csvCell = function (v) { v = String(v); return /[",\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v; };
    var draw = function (picked) {
      out.textContent = "";
      download.hidden = true;
      if (!picked.length) return;
      history.replaceState(null, "", "?e=" + picked.map(function (p) { return p.slug; }).join(","));
      var table = el("table"), cap = el("caption", "Side-by-side comparison");
      table.appendChild(cap);
      var head = el("tr");
      head.appendChild(el("th", "")).setAttribute("scope", "col");
      picked.forEach(function (p) {
        var th = el("th"), a = el("a", p.name);
        a.href = cmp.getAttribute("data-pages") + encodeURIComponent(p.slug) + "/";
        th.setAttribute("scope", "col"); th.appendChild(a); head.appendChild(th);
      });
      var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
      var tbody = el("tbody");
      var csv = [["", ""].concat(picked.map(function (p) { return p.name; }))];
      var addRow = function (label, cell, text) {
        var tr = el("tr"), th = el("th", label);
        th.setAttribute("scope", "row"); tr.appendChild(th);
        picked.forEach(function (p) { tr.appendChild(cell(p)); });
        tbody.appendChild(tr);
        text.forEach(function (t) { csv.push([label, t.what].concat(picked.map(t.value))); });
      };
      var card = function (p) { return p.scorecard; };
      addRow("Headline", function (p) { return el("td", card(p).headline.text); },
        [{ what: "headline", value: function (p) { return card(p).headline.text; } }]);
      card(picked[0]).rows.forEach(function (r, i) {
        var row = function (p) { return card(p).rows[i]; };
        addRow(r.title, function (p) {
          var td = el("td"), span = el("span", judged(row(p)));
          span.className = "label tone-" + row(p).judgement.tone;
          td.appendChild(span);
          var f = figures(row(p));
          if (f) td.appendChild(el("small", " " + f + " (" + row(p).period + ")"));
          return td;
        }, [
          { what: "judgement", value: function (p) { return judged(row(p)); } },
          { what: "period", value: function (p) { return row(p).period; } },
          { what: "figures", value: function (p) { return figures(row(p)); } },
        ]);
      });
      card(picked[0]).practices.chapters.forEach(function (c, i) {
        var ch = function (p) { return card(p).practices.chapters[i]; };
        addRow("Practices: " + c.title, function (p) { return el("td", ch(p).summary); },
          [{ what: "practices", value: function (p) { return ch(p).summary; } }]);
      });
      table.appendChild(tbody);
      out.appendChild(table);
      // The link is made here, with its address: a link without one is no link to a crawler.
      var link = download.querySelector("a") || download.appendChild(el("a", "Download this comparison (CSV)"));
      link.setAttribute("download", "comparison.csv");
      link.href = "data:text/csv;charset=utf-8," + encodeURIComponent(csv.map(function (r) { return r.map(csvCell).join(","); }).join("\n") + "\n");
      download.hidden = false;
    };
    var latest = 0;
    var update = function () {
      var slugs = chosen.filter(Boolean);
      var mine = ++latest;
      // Only the latest choice is drawn, whichever of the fetches returns last.
      Promise.all(slugs.map(record)).then(function (picked) {
        if (mine !== latest) return;
        picked.forEach(function (p) {
          var i = chosen.indexOf(p.slug);
          if (i !== -1 && !picks[i].value) picks[i].value = p.name;
        });
        draw(picked);
      }, function () {
        if (mine !== latest) return;
        out.textContent = "";
        out.appendChild(el("p", "The scorecard data could not be loaded; open the scorecards themselves instead."));
      });
    };
    // A picker offers the employers whose names match what is typed (through the search
    // index), and holds one when its text is that employer's name.
    var asked = picks.map(function () { return 0; }), timers = [];
    var look = function (i) {
      var text = picks[i].value.trim(), key = text.toLowerCase(), mine = ++asked[i];
      if (offered[i][key]) { chosen[i] = offered[i][key]; cstatus.textContent = ""; update(); return; }
      if (chosen[i]) { chosen[i] = ""; update(); }
      if (!text) { cstatus.textContent = ""; return; }
      names.find(text).then(function (r) {
        return names.docs(r.ids.filter(function (d) { return d < r.employers; }).slice(0, 8));
      }).then(function (docs) {
        if (mine !== asked[i]) return;
        var listEl = document.getElementById(picks[i].getAttribute("list"));
        listEl.textContent = "";
        offered[i] = {};
        docs.forEach(function (d) {
          var o = el("option");
          o.value = d.t;
          listEl.appendChild(o);
          offered[i][d.t.toLowerCase()] = slugOf(d.u);
        });
        cstatus.textContent = docs.length ? "" : "No employer's name matches “" + text + "”.";
        if (offered[i][key]) { chosen[i] = offered[i][key]; update(); }
      }, function () {
        if (mine === asked[i]) cstatus.textContent = "Employer names could not be loaded; open the scorecards from the directory instead.";
      });
    };
    picks.forEach(function (p, i) {
      p.addEventListener("input", function () { clearTimeout(timers[i]); timers[i] = setTimeout(function () { look(i); }, 150); });
    });
    update();
  }
})();
