/* Timeline filters (the page made by hooks/reader/timeline.py): the form is rendered `hidden`,
   so without JavaScript the reader sees every event; here it is shown, and choosing a document or
   a group hides the events (article.tl-event, data-docs / data-group) and the years that do not
   match. The choice is kept in the URL's query (?doc=…&group=…) so a filtered view can be shared
   and survives a reload; the fragment (#event-id) is left alone. No requests: works from file://. */
(function () {
  function run() {
    var form = document.querySelector("form.tl-filters");
    if (!form) return;
    var events = Array.prototype.slice.call(document.querySelectorAll("article.tl-event"));
    var years = Array.prototype.slice.call(document.querySelectorAll(".tl-year"));
    var count = form.querySelector(".tl-count");
    var params = new URLSearchParams(window.location.search);
    ["doc", "group"].forEach(function (name) {
      var value = params.get(name);
      var select = form.elements[name];
      if (value && select && Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
        select.value = value;
      }
    });

    function apply() {
      var doc = form.elements.doc.value;
      var group = form.elements.group.value;
      var shown = 0;
      events.forEach(function (e) {
        var ok = (!doc || (" " + e.getAttribute("data-docs") + " ").indexOf(" " + doc + " ") >= 0)
          && (!group || e.getAttribute("data-group") === group);
        e.hidden = !ok;
        if (ok) shown += 1;
      });
      years.forEach(function (y) {
        var any = y.querySelector("article.tl-event:not([hidden])") !== null;
        y.hidden = !any;
        var heading = y.previousElementSibling;
        if (heading && /^H2$/.test(heading.tagName)) heading.hidden = !any;
      });
      count.textContent = form.getAttribute("data-shown").replace("{n}", shown).replace("{total}", events.length);
      if (window.history && window.history.replaceState) {
        var q = new URLSearchParams();
        if (doc) q.set("doc", doc);
        if (group) q.set("group", group);
        var query = q.toString();
        try {
          window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
        } catch (err) { /* some file:// contexts refuse it: the filter still works */ }
      }
    }

    form.hidden = false;
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    apply();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
