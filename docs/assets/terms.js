/* Glossary terms in the reading text (a.term, rendered by render.mark_wrapper): the short
   definition is CSS (::after from data-gloss) on hover and keyboard focus. This script adds
   what CSS cannot do: on a touch screen (coarse pointer, no hover) the first tap on a term shows
   its gloss and a second tap follows the link; a tap elsewhere or Escape hides it; Escape also
   hides the gloss of the focused term. It keeps the gloss inside the viewport. Plain DOM, no
   requests: it works from file:// as well. */
(function () {
  var touch = window.matchMedia ? window.matchMedia("(hover: none), (pointer: coarse)") : { matches: false };
  var open = null;

  function place(a) {  // shift the gloss left when it would run past the right edge of the window
    a.style.removeProperty("--gloss-shift");
    var width = parseFloat(window.getComputedStyle(a, "::after").width) || 0;
    var left = a.getBoundingClientRect().left;
    var room = document.documentElement.clientWidth - 8 - left;
    if (width > room) a.style.setProperty("--gloss-shift", Math.min(0, Math.max(room - width, 8 - left)) + "px");
  }

  function close() {
    if (open) open.classList.remove("term-open");
    open = null;
  }

  function show(a) {
    close();
    a.classList.remove("term-closed");
    a.classList.add("term-open");
    open = a;
    place(a);
  }

  function termOf(node) {
    return node && node.closest ? node.closest("a.term") : null;
  }

  // Capture phase: decide before Material's own link handling sees the click.
  document.addEventListener("click", function (event) {
    var a = termOf(event.target);
    if (!touch.matches) return;
    if (!a) { close(); return; }
    if (a === open) { close(); return; }  // second tap: follow the link
    event.preventDefault();
    event.stopPropagation();
    show(a);
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var a = termOf(document.activeElement);
    if (a) a.classList.add("term-closed");
    close();
  });

  document.addEventListener("focusin", function (event) {
    var a = termOf(event.target);
    if (a) place(a);
  });
  document.addEventListener("focusout", function (event) {
    var a = termOf(event.target);
    if (a) a.classList.remove("term-closed");
  });
  document.addEventListener("mouseover", function (event) {
    var a = termOf(event.target);
    if (a && a !== open) place(a);
  });
})();
