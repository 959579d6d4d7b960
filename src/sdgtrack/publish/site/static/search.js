// Search on the static site (no server): the same match as the server's search page, over
// the entries that static/search-<lang>.js defines. Our own code, no library.
(function () {
  "use strict";
  var entries = window.SDGTRACK_SEARCH || [];
  var q = new URLSearchParams(window.location.search).get("q") || "";
  var needle = q.trim().toLowerCase();
  var input = document.getElementById("q");
  if (input) { input.value = q; }
  if (!needle) { return; }
  var hits = entries.filter(function (e) { return e[4].indexOf(needle) !== -1; });
  var status = document.getElementById("search-status");
  // one hit reads "1 result", not "1 results"
  status.textContent = status.getAttribute(hits.length === 1 ? "data-template-one" : "data-template")
    .replace("%(n)s", String(hits.length)).replace("%(q)s", q);
  var list = document.getElementById("search-results");
  hits.slice(0, 200).forEach(function (e) {
    var li = document.createElement("li");
    var kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = e[0];
    var a = document.createElement("a");
    a.href = e[3];
    a.textContent = e[1];
    li.appendChild(kind);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(a);
    li.appendChild(document.createTextNode(" " + e[2]));
    list.appendChild(li);
  });
}());
