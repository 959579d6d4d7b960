// Search on the static site (no server): the query of sdgtrack.publish.search.index, run
// over the prebuilt index that static/search-<lang>.js defines (window.SDGTRACK_INDEX).
// Our own code, no library. Where the server uses jieba and the Snowball stemmer, the
// browser segments Chinese by the longest words the index holds and takes the longest
// prefix of a Russian word that the index holds as its stem.
(function () {
  "use strict";
  var ix = window.SDGTRACK_INDEX;
  var q = new URLSearchParams(window.location.search).get("q") || "";
  var input = document.getElementById("q");
  if (input) { input.value = q; }
  if (!ix || !q.trim()) { return; }
  var KINDS = ["goal", "target", "indicator", "series", "metadata", "group", "area", "record",
               "event", "evidence",
               "scorecard", "methodology"];
  var EXACT = 1000, FUZZY = 0.6, SYNONYM = 0.8, SNIPPET = 160;
  var CODE = /[A-Za-z0-9]+(?:[._][A-Za-z0-9]+)+|\d+/g;
  var WORD = /[a-z\u00e0-\u00ff]+|[\u0430-\u044f\u0451]+|[\u3400-\u9fff\uf900-\ufaff]+/g;
  var CJK = /^[\u3400-\u9fff\uf900-\ufaff]/;
  var STOP = {};
  ("the of and in to for a an by all its on with or at as from be is are that this " +
   "и в во на по с со к для от из или а также их его ее").split(" ").forEach(function (w) { STOP[w] = 1; });
  "的和在与及或了是等按其中对".split("").forEach(function (w) { STOP[w] = 1; });
  var P = ix.postings, N = ix.docs.length || 1;

  function normalise(text) {
    var t = text.normalize("NFKC").toLowerCase(), out = "";
    for (var i = 0; i < t.length; i++) { out += ix.t2s[t[i]] || t[i]; }
    return out;
  }
  function cjk(run) {  // the longest words of the index, then the words inside them
    var out = [], i = 0;
    while (i < run.length) {
      var n = Math.min(8, run.length - i);
      while (n > 1 && !P[run.substr(i, n)]) { n--; }
      var w = run.substr(i, n);
      if (!STOP[w]) { out.push(w); }
      for (var a = 0; n > 2 && a < n; a++) {
        for (var b = 2; a + b <= n && b < n; b++) {
          var inner = w.substr(a, b);
          if (P[inner] && out.indexOf(inner) < 0) { out.push(inner); }
        }
      }
      i += n;
    }
    return out;
  }
  function russian(w) {
    for (var n = w.length; n >= Math.max(3, w.length - 4); n--) {
      if (P[w.substr(0, n)]) { return w.substr(0, n); }
    }
    return w;
  }
  function wordTerms(text) {
    var out = [];
    (text.replace(CODE, " ").match(WORD) || []).forEach(function (w) {
      if (CJK.test(w)) { out = out.concat(cjk(w)); }
      else if (STOP[w]) { return; }
      else if (w[0] >= "\u0430" && w[0] <= "\u0451") { out.push(russian(w)); }
      else { out.push(w.length > 4 && /s$/.test(w) && !/ss$/.test(w) ? w.slice(0, -1) : w); }
    });
    return out;
  }
  function oneEdit(a, b) {
    if (a === b) { return true; }
    if (Math.abs(a.length - b.length) > 1) { return false; }
    if (a.length === b.length) {
      var d = [];
      for (var i = 0; i < a.length; i++) { if (a[i] !== b[i]) { d.push(i); } }
      return d.length === 1 || (d.length === 2 && d[1] === d[0] + 1 &&
        a[d[0]] === b[d[1]] && a[d[1]] === b[d[0]]);
    }
    var s = a.length < b.length ? a : b, l = a.length < b.length ? b : a;
    for (var k = 0; k < l.length; k++) { if (l.slice(0, k) + l.slice(k + 1) === s) { return true; } }
    return false;
  }
  function expand(term) {
    if (P[term]) {
      return [[term, 1]].concat((ix.synonyms[term] || []).filter(function (t) { return P[t]; })
        .map(function (t) { return [t, SYNONYM]; }));
    }
    if (term.length < 4 || CJK.test(term) || /^\d/.test(term)) { return []; }
    return Object.keys(P).filter(function (t) { return oneEdit(term, t); })
      .map(function (t) { return [t, FUZZY]; });
  }
  function marks(text, found, width) {
    var low = normalise(text);
    if (low.length !== text.length) { low = text.toLowerCase(); }
    var spans = [];
    found.slice().sort(function (a, b) { return b.length - a.length; }).forEach(function (t) {
      if (t.length < 2 && !CJK.test(t)) { return; }
      for (var at = low.indexOf(t); at >= 0; at = low.indexOf(t, at + 1)) {
        var end = at + t.length;
        if (!CJK.test(t)) { while (end < low.length && /[\p{L}\p{N}]/u.test(low[end])) { end++; } }
        spans.push([at, end]);
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    spans.forEach(function (s) {
      var last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) { last[1] = Math.max(last[1], s[1]); } else { merged.push(s); }
    });
    var start = 0, end = text.length;
    if (width && text.length > width) {
      start = Math.max(0, Math.min((merged.length ? merged[0][0] : 0) - width / 4, text.length - width));
      end = start + width;
    }
    var frag = document.createDocumentFragment(), at2 = start;
    if (start > 0) { frag.appendChild(document.createTextNode("…")); }
    merged.forEach(function (s) {
      var a = Math.max(s[0], start), b = Math.min(s[1], end);
      if (a >= b) { return; }
      if (a > at2) { frag.appendChild(document.createTextNode(text.slice(at2, a))); }
      var m = document.createElement("mark");
      m.textContent = text.slice(a, b);
      frag.appendChild(m);
      at2 = b;
    });
    if (at2 < end) { frag.appendChild(document.createTextNode(text.slice(at2, end))); }
    if (end < text.length) { frag.appendChild(document.createTextNode("…")); }
    return frag;
  }

  var query = normalise(q).trim();
  var wanted = wordTerms(query).filter(function (t, i, all) { return all.indexOf(t) === i; });
  var scores = {}, held = {}, found = wanted.slice();
  wanted.forEach(function (term) {
    expand(term).forEach(function (pair) {
      var post = P[pair[0]], idf = Math.log(1 + N / (post.length / 2));
      found.push(pair[0]);
      for (var j = 0; j < post.length; j += 2) {
        var k = post[j];
        scores[k] = (scores[k] || 0) + pair[1] * idf * post[j + 1];
        (held[k] = held[k] || {})[term] = 1;
      }
    });
  });
  Object.keys(scores).forEach(function (k) {
    var share = Object.keys(held[k]).length / wanted.length;
    scores[k] *= share * share;
  });
  var keys = [query].concat((q.match(CODE) || []).map(function (c) { return c.toLowerCase(); }),
                            query.split(/\s+/));
  var best = {};
  keys.forEach(function (key) {
    (ix.exact[key] || []).forEach(function (k) { best[k] = 1; });
    found.push(key);
  });
  Object.keys(best).forEach(function (k) { scores[k] = (scores[k] || 0) + EXACT; });
  var order = Object.keys(scores).map(Number).sort(function (a, b) {
    var wa = Object.keys(held[a] || {}).length >= wanted.length,
        wb = Object.keys(held[b] || {}).length >= wanted.length;
    return ((b in best) - (a in best)) || (wb - wa) ||
      (KINDS.indexOf(ix.docs[a][0]) - KINDS.indexOf(ix.docs[b][0])) ||
      (scores[b] - scores[a]) || (a - b);
  });

  var status = document.getElementById("search-status");
  status.textContent = status.getAttribute(order.length === 1 ? "data-template-one" : "data-template")
    .replace("%(n)s", String(order.length)).replace("%(q)s", q);
  var box = document.getElementById("search-results");
  var labels = JSON.parse(box.getAttribute("data-labels"));
  var kindNames = JSON.parse(box.getAttribute("data-kinds"));
  var lists = {}, list = null;  // one section a kind, in the order of its first result
  order.slice(0, 100).forEach(function (k) {
    var d = ix.docs[k], g = (k in best) ? "best" : d[0];
    list = lists[g];
    if (!list) {
      var section = document.createElement("section");
      section.className = "hits";
      var h = document.createElement("h2");
      h.textContent = labels[g];
      list = lists[g] = document.createElement("ul");
      list.className = "results";
      section.appendChild(h);
      section.appendChild(list);
      box.appendChild(section);
    }
    var li = document.createElement("li");
    var kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = kindNames[d[0]] || d[0];
    var a = document.createElement("a");
    a.href = d[3] + ".html" + (d[4] ? "#" + d[4] : "");
    if (d[1]) {
      var code = document.createElement("code");
      code.textContent = d[1];
      a.appendChild(code);
      a.appendChild(document.createTextNode(" "));
    }
    a.appendChild(marks(d[2], found));
    li.appendChild(kind);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(a);
    if (d[5]) {
      var small = document.createElement("small");
      small.className = "snippet";
      small.appendChild(marks(d[5], found, SNIPPET));
      li.appendChild(document.createElement("br"));
      li.appendChild(small);
    }
    list.appendChild(li);
  });
}());
