/* The script switch opens the twin page at the same paragraph: it carries the #fragment,
   or, when there is none, the id of the first paragraph in view. Under file:// a
   directory link gets its index.html, so the switch also works in the offline bundle. */
(function () {
  function currentAnchor() {
    if (location.hash) return location.hash.slice(1);
    var nodes = document.querySelectorAll("article [id^='p'], article h2[id], article h3[id]");
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i].getBoundingClientRect().bottom > 80) return nodes[i].id;
    }
    return "";
  }
  // Capture phase, and no further propagation: the switch is ours alone (Material's
  // instant navigation and language integration listen for clicks on the body).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-edition-switch]");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
    var href = link.getAttribute("href").split("#")[0];
    if (location.protocol === "file:" && /\/$/.test(href)) href += "index.html";
    var anchor = currentAnchor();
    event.preventDefault();
    event.stopPropagation();
    location.href = href + (anchor ? "#" + anchor : "");
  }, true);
})();
