// referat-serve: progressive enhancement only. The page works without this file.
// Suggestions: completions of the last word from /api/suggest fill the search box's <datalist>,
// which the browser shows as a native, keyboard-accessible list.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("forslag");
  if (!input || !list || !window.fetch) return;

  var timer = null;
  var last = "";
  var controller = null;

  function show(query, suggestions) {
    // The searcher returns the whole query with its last word completed; a bare word replaces
    // the last word of what was typed.
    var head = query.replace(/\S*$/, "");
    while (list.firstChild) list.removeChild(list.firstChild);
    suggestions.forEach(function (s) {
      var option = document.createElement("option");
      option.value = s.indexOf(head) === 0 ? s : head + s;
      list.appendChild(option);
    });
  }

  function update() {
    var query = input.value;
    var word = (query.match(/\S*$/) || [""])[0];
    if (query === last) return;
    last = query;
    if (word.length < 2 || query.length > 200) { show(query, []); return; }
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    fetch("/api/suggest?q=" + encodeURIComponent(query), controller ? { signal: controller.signal } : {})
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (data) { if (input.value === query) show(query, data.suggestions || []); })
      .catch(function () { /* suggestions are optional */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  });

  // Changing the sort order or a date re-runs the search at once.
  var form = input.form;
  ["sort"].forEach(function (id) {
    var el = document.getElementById(id);
    if (el && form) el.addEventListener("change", function () {
      if (input.value || document.querySelector(".results")) form.submit();
    });
  });
})();
