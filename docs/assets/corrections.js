/* 校改标记: the edition's corrections, in place. Every span where the reading text differs
   from its source is a <span class="corr" data-src data-tip data-href> (render.py); without
   this script they are plain text. Two toggles, remembered per reader (localStorage):
   "校改标记" marks every corrected span (hover or focus: the source's reading, the kind and
   the reason; Enter or click: its apparatus entry; on a touch screen the first tap shows the
   reading and reason, a second tap opens the entry), and "显示底本" puts the source's reading
   in place (removed spans shown as markers). Off by default. Works from file:// too. */
(function () {
  var KEY = "reader-corrections";
  var marks = document.querySelectorAll(".corr");
  var card = document.querySelector(".doc-card");
  if (!marks.length || !card) return;
  var hant = document.documentElement.lang === "zh-Hant";
  // as terms.js: no hover here, so a tap must show what hovering shows
  var touch = window.matchMedia ? window.matchMedia("(hover: none), (pointer: coarse)") : { matches: false };
  var tapped = null;  // the mark the last tap explained: a second tap on it opens its entry
  var T = hant
    ? { group: "校改", marks: "校改標記", source: "顯示底本", src: "底本", none: "（無）", see: "按 Enter 查看校勘記", tap: "再點一次查看校勘記" }
    : { group: "校改", marks: "校改标记", source: "显示底本", src: "底本", none: "（无）", see: "按 Enter 查看校勘记", tap: "再点一次查看校勘记" };

  function load() {
    try { return localStorage.getItem(KEY) || "off"; } catch (e) { return "off"; }
  }
  function save(state) {
    try { localStorage.setItem(KEY, state); } catch (e) { /* private mode: not remembered */ }
  }

  var bar = document.createElement("div");
  bar.className = "corr-bar";
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", T.group);
  function button(label, state) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.setAttribute("aria-pressed", "false");
    b.addEventListener("click", function () { apply(current === state ? "off" : state, true); });
    bar.appendChild(b);
    return b;
  }
  var bMarks = button(T.marks, "marks");
  var bSource = button(T.source, "source");
  card.parentNode.insertBefore(bar, card.nextSibling);

  var pop = document.createElement("div");
  pop.className = "corr-pop";
  pop.id = "corr-pop";
  pop.setAttribute("role", "tooltip");
  pop.hidden = true;
  document.body.appendChild(pop);

  var current = "";  // nothing applied yet
  function apply(state, remember) {
    if (state === current) return;
    var wasSource = current === "source";
    current = state;
    document.documentElement.setAttribute("data-corrections", state);
    bMarks.setAttribute("aria-pressed", String(state === "marks"));
    bSource.setAttribute("aria-pressed", String(state === "source"));
    for (var i = 0; i < marks.length; i++) {
      var m = marks[i];
      if (state === "off") { m.removeAttribute("tabindex"); m.removeAttribute("aria-describedby"); }
      else { m.setAttribute("tabindex", "0"); }
      if (state === "source" && !wasSource) {
        m.setAttribute("data-read", m.innerHTML);
        m.textContent = m.getAttribute("data-src");
      } else if (wasSource && state !== "source") {
        m.innerHTML = m.getAttribute("data-read") || "";
      }
    }
    hide();
    if (remember) save(state);
  }

  function show(m) {
    if (current === "off") return;
    pop.textContent = "";
    var line = document.createElement("div");
    line.textContent = T.src + "：" + (m.getAttribute("data-src") || T.none);
    var why = document.createElement("div");
    why.textContent = m.getAttribute("data-tip");
    var see = document.createElement("div");
    see.className = "corr-see";
    see.textContent = touch.matches ? T.tap : T.see;
    pop.appendChild(line); pop.appendChild(why); pop.appendChild(see);
    var r = m.getBoundingClientRect();
    pop.style.left = Math.max(8, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - 320)) + "px";
    pop.style.top = (r.bottom + window.scrollY + 6) + "px";
    pop.hidden = false;
    m.setAttribute("aria-describedby", "corr-pop");
  }
  function hide() { pop.hidden = true; }

  function markOf(event) { return event.target.closest && event.target.closest(".corr"); }
  document.addEventListener("mouseover", function (e) { var m = markOf(e); if (m) show(m); });
  document.addEventListener("mouseout", function (e) { if (markOf(e)) hide(); });
  document.addEventListener("focusin", function (e) { var m = markOf(e); if (m) show(m); else hide(); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { hide(); return; }
    var m = markOf(e);
    if (m && current !== "off" && e.key === "Enter") location.href = m.getAttribute("data-href");
  });
  document.addEventListener("click", function (e) {
    var m = markOf(e);
    if (!m || current === "off" || e.target.closest("a")) {
      if (touch.matches && !(m && e.target.closest("a"))) { hide(); tapped = null; }
      return;
    }
    if (touch.matches && m !== tapped) { tapped = m; show(m); return; }
    location.href = m.getAttribute("data-href");
  });

  apply(load(), false);
})();
