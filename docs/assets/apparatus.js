/* The apparatus (校勘记) is one page per document (<slug>/apparatus/) since issue 17; the rows
   keep their ids. An old link to a row or a table of the one-page apparatus,
   apparatus/#<slug>.r<n> or apparatus/#<slug>-changes, now lands on the index: send it on to
   the document's page at the same fragment. The URL of that page is the href of the index's
   link marked data-apparatus-doc="<slug>" (relative, so it works hosted and from file://).
   #<slug> and #<slug>-counts stay on the index. Runs on every page, acts only on the index. */
(function () {
  "use strict";
  var OLD = /^(.+)\.r\d+$|^(.+)-changes$/;

  function forward() {
    var links = document.querySelectorAll("a[data-apparatus-doc]");
    if (!links.length || location.hash.length < 2) return;
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    if (document.getElementById(id)) return;  // an id of this page: nothing to do
    var m = OLD.exec(id);
    if (!m) return;
    var slug = m[1] || m[2];
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("data-apparatus-doc") === slug) {
        location.replace(links[i].href.split("#")[0] + location.hash);
        return;
      }
    }
  }

  forward();
  window.addEventListener("hashchange", forward);
})();
