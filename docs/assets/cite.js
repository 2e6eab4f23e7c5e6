/* Citing a paragraph (hooks/reader/cite.py makes the data, render.document puts it on the page
   as <script type="application/json" id="cite-meta">). The ¶ after each paragraph opens a small
   panel (click, Enter or Space, tap) with the paragraph's permanent link and ready citations in
   GB/T 7714-2015 and APA 7 form and as a BibTeX (biblatex) entry, each with a copy button; Escape, the close button or a click
   elsewhere closes it and gives the focus back to the ¶. Copying a passage of the text appends
   the short citation and the link of the first paragraph in the selection. The citations are
   templates: this script only fills the slots the build cannot know (the page's absolute URL,
   from <link rel=canonical> when the site has one, else from location, without its query (a
   search result opens a page with ?h=), so it works hosted and from file://; and today's date). Plain DOM, no requests. */
(function () {
  var node = document.getElementById("cite-meta");
  if (!node) return;
  var meta;
  try { meta = JSON.parse(node.textContent); } catch (e) { return; }
  var L = meta.labels;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"];
  var PARA = /^p\d+-\d+$/;
  var panel = null, opener = null, seq = 0;

  function pageUrl() {
    var canon = document.querySelector("link[rel=canonical]");
    var href = canon && canon.href ? canon.href : location.href;
    return href.split("#")[0].split("?")[0];  // not ?h= (a search result's highlight) nor ?q=
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function slots(anchor) {
    var d = new Date();
    return {
      anchor: anchor,
      url: pageUrl() + "#" + anchor,
      accessed: d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()),
      accessed_en: MONTHS[d.getMonth()] + " " + d.getDate() + ", " + d.getFullYear()
    };
  }

  function fill(template, values) {
    return template.map(function (p) { return typeof p === "string" ? p : values[p.slot]; }).join("");
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    var active = document.activeElement;
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    if (active && active.focus) active.focus();
    return ok;
  }

  function copy(text, status) {
    function done(ok) { status.textContent = ok ? L.copied : L.failed; }
    status.textContent = "";
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); },
                                               function () { done(fallbackCopy(text)); });
    } else {
      done(fallbackCopy(text));
    }
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function close(refocus) {
    if (!panel) return;
    panel.parentNode.removeChild(panel);
    panel = null;
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
      if (refocus) opener.focus();
    }
    opener = null;
  }

  function place(link) {
    var r = link.getBoundingClientRect();
    var width = panel.offsetWidth;
    var room = document.documentElement.clientWidth;
    var left = Math.max(8, Math.min(r.right - width, room - width - 8));
    panel.style.left = (left + window.scrollX) + "px";
    panel.style.top = (r.bottom + window.scrollY + 6) + "px";
  }

  function open(link) {
    var anchor = link.getAttribute("href").slice(1);
    if (!PARA.test(anchor)) return;
    close(false);
    var values = slots(anchor);
    var id = "cite-panel-" + (++seq);
    panel = el("div", "cite-panel");
    panel.id = id;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-labelledby", id + "-title");
    panel.dataset.anchor = anchor;
    var head = el("div", "cite-head");
    var title = el("strong", "cite-title", L.cite + " #" + anchor);
    title.id = id + "-title";
    var shut = el("button", "cite-close", "×");
    shut.type = "button";
    shut.setAttribute("aria-label", L.close);
    shut.addEventListener("click", function () { close(true); });
    head.appendChild(title);
    head.appendChild(shut);
    panel.appendChild(head);
    var status = el("p", "cite-status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var rows = [["link", values.url], ["gbt", fill(meta.gbt, values)], ["apa", fill(meta.apa, values)]];
    if (meta.bib) rows.push(["bib", fill(meta.bib, values)]);
    rows.forEach(function (row) {
      var box = el("div", "cite-row");
      box.dataset.form = row[0];
      var label = el("span", "cite-label", L[row[0]]);
      label.id = id + "-" + row[0] + "-label";
      var text = el(row[0] === "bib" ? "pre" : "p", "cite-text", row[1]);  // BibTeX keeps its lines
      text.id = id + "-" + row[0];
      if (row[0] === "bib") {  // a region that scrolls sideways: reachable by keyboard, named by its label
        text.tabIndex = 0;
        text.setAttribute("aria-labelledby", label.id);
      }
      var button = el("button", "cite-copy", L.copy);
      button.type = "button";
      button.setAttribute("aria-describedby", label.id);
      button.addEventListener("click", function () { copy(row[1], status); });
      box.appendChild(label);
      box.appendChild(button);
      box.appendChild(text);
      panel.appendChild(box);
    });
    panel.appendChild(el("p", "cite-note", L.accessed_note));
    panel.appendChild(status);
    document.body.appendChild(panel);
    place(link);
    opener = link;
    link.setAttribute("aria-expanded", "true");
    link.setAttribute("aria-controls", id);
    panel.querySelector(".cite-copy").focus({ preventScroll: true });
  }

  function paraLink(target) {
    var a = target && target.closest ? target.closest("a.para-link") : null;
    return a && PARA.test((a.getAttribute("href") || "").slice(1)) ? a : null;
  }

  document.querySelectorAll("a.para-link").forEach(function (a) {
    if (!paraLink(a)) return;
    a.setAttribute("aria-haspopup", "dialog");
    a.setAttribute("aria-expanded", "false");
  });

  document.addEventListener("click", function (event) {
    var a = paraLink(event.target);
    if (a) {
      if (event.metaKey || event.ctrlKey || event.shiftKey) return;  // a new tab: the plain permalink
      event.preventDefault();
      if (a === opener) { close(true); return; }
      if (history.replaceState) history.replaceState(null, "", "#" + a.getAttribute("href").slice(1));
      open(a);
      return;
    }
    if (panel && !panel.contains(event.target)) close(false);
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && panel) { close(true); return; }
    if (event.key === " " || event.key === "Spacebar") {
      var a = paraLink(event.target);
      if (!a) return;
      event.preventDefault();
      a.click();
    }
  });

  window.addEventListener("resize", function () { if (panel && opener) place(opener); });

  // Copying a passage: the short citation of its first paragraph goes with it.
  var article = document.querySelector("article") || document.body;
  article.addEventListener("copy", function (event) {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount || !event.clipboardData) return;
    var range = sel.getRangeAt(0);
    if (!article.contains(range.commonAncestorContainer)) return;
    var first = null;
    var start = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentNode;
    for (var n = start; n && n !== article; n = n.parentNode) {
      if (n.id && PARA.test(n.id)) first = n;  // the outermost: a list item inside an item counts as itself
      if (first) break;
    }
    if (!first) {
      var all = article.querySelectorAll("[id]");
      for (var i = 0; i < all.length; i++) {
        if (PARA.test(all[i].id) && range.intersectsNode(all[i])) { first = all[i]; break; }
      }
    }
    if (!first) return;
    var text = sel.toString().replace(/¶/g, "");  // the permalinks' sign is no part of the text
    event.clipboardData.setData("text/plain", text + "\n\n" + fill(meta.short, slots(first.id)));
    event.preventDefault();
  });
})();
