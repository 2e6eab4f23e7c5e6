/* Search for both editions, on a server and from file:// (the offline bundle).

   Loaded in <head> through extra.polyfills, after the vendored iframe-worker shim (in the offline
   bundle only: it acts under file:// alone, site.head_scripts) and before
   Material's bundle, because the bundle creates its search worker and asks for the index as
   it starts (Material 9.7.6: bundle.ts fetchSearchIndex, integrations/search/worker):

   1. The index is fetched only when the reader opens or focuses search. Material asks for it
      at start-up (an XMLHttpRequest for search/search_index.json; under file:// a <script> for
      search/search_index.js appended to <head>); both wait here until the search toggle is
      switched on, the search field gets focus, or the URL carries ?q= or ?h= (a search deep
      link, or highlighting after a result was followed).
   2. A query typed in either script finds the text of the edition being read: the query the
      bundle sends to its worker ({type: 2, data}) is converted, longest key first, with the
      map generated from the two editions' text (assets/searchmap.js, hooks/reader/searchmap.py;
      loaded together with the index), and split where the index splits it (200美元 as 200 美元,
      山姆·奥特曼 as 山姆 奥特曼: words()). The search field itself is never rewritten, so an input
      method's composition is never disturbed.
   3. Result titles and teasers lose the zero-width spaces (U+200B) that the index uses to
      separate words, so a copied result carries none. */
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  var wanted = false;
  var waiting = [];
  var map = null;
  var mapState = "none"; // none | loading | done
  var pendingQueries = [];

  function isIndex(url) {
    return /(^|\/)search\/search_index\.js(on)?([?#]|$)/.test(String(url || ""));
  }

  function want() {
    if (wanted) return;
    wanted = true;
    loadMap();
    var run = waiting.splice(0);
    for (var i = 0; i < run.length; i++) run[i]();
  }

  /* 1. Lazy index ------------------------------------------------------------------------ */
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.__readerIndex = isIndex(url);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var xhr = this;
    var args = arguments;
    if (xhr.__readerIndex && !wanted) {
      waiting.push(function () { send.apply(xhr, args); });
      return undefined;
    }
    return send.apply(xhr, args);
  };
  var append = Node.prototype.appendChild;
  HTMLHeadElement.prototype.appendChild = function (node) {
    if (!wanted && node && node.tagName === "SCRIPT" && isIndex(node.getAttribute("src"))) {
      var head = this;
      waiting.push(function () { append.call(head, node); });
      return node;
    }
    return append.apply(this, arguments);
  };

  var params = new URLSearchParams(location.search);
  if (params.has("q") || params.has("h")) want();
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("[data-md-component=search-query]")) want();
  }, true);
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.id === "__search" && target.checked) want();
  }, true);

  /* 2. Queries in either script ---------------------------------------------------------- */
  function table() {
    if (!map) return null;
    var lang = (document.documentElement.getAttribute("lang") || "").toLowerCase();
    return lang.indexOf("hant") >= 0 ? map.hans2hant : map.hant2hans;
  }

  function convert(query) {
    var keys = table();
    if (!keys) return query;
    var out = "";
    var i = 0;
    var longest = map.max || 1;
    while (i < query.length) {
      var n = Math.min(longest, query.length - i);
      for (; n > 0; n--) {
        var piece = query.substr(i, n);
        if (Object.prototype.hasOwnProperty.call(keys, piece)) {
          out += keys[piece];
          break;
        }
      }
      if (n > 0) {
        i += n;
      } else {
        out += query.charAt(i);
        i += 1;
      }
    }
    return out;
  }

  function mapLoaded() {
    map = window.__readerSearchMap || null;
    mapState = "done";
    var run = pendingQueries.splice(0);
    for (var i = 0; i < run.length; i++) run[i]();
  }

  function loadMap() {
    if (mapState !== "none" || !here) return;
    mapState = "loading";
    var script = document.createElement("script");
    script.src = here.replace(/search\.js([?#].*)?$/, "searchmap.js");
    script.onload = mapLoaded;
    script.onerror = mapLoaded; // no map: queries go through as typed
    append.call(document.head, script);
  }

  /* The index holds Latin words, numbers and Chinese words as separate tokens (jieba's cuts put
     U+200B between them: "200\u200b美元", "山姆\u200b·\u200b奥特曼"), but Material splits a query at
     spaces and punctuation only, so 200美元, GPT-5发布, OpenAI的AGI or 山姆·奥特曼 were each one
     word that no token starts with: nothing found. A space between a Latin letter or digit and a
     Chinese character, and in place of a name's middle dot, splits them as the index does; letters
     and digits typed full-width (an input method's full-width mode) are the text's ASCII ones. */
  var HAN_LATIN = /(\p{Script=Han})(?=[A-Za-z0-9])|([A-Za-z0-9])(?=\p{Script=Han})/gu;
  function words(query) {
    return query.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, function (c) {  // ＡＧＩ, ２０２４: as the text has them
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    }).replace(/([A-Za-z0-9])\uff0d(?=[A-Za-z0-9])/g, "$1-").replace(/[\u00b7\u2022\u2027\u30fb]/g, " ").replace(HAN_LATIN, "$1$2 ");
  }

  window.__readerSearchConvert = convert; // for the tests
  window.__readerSearchWords = words;

  /* 3. Results without U+200B ------------------------------------------------------------ */
  function strip(value) {
    return typeof value === "string" ? value.replace(/\u200b/g, "") : value;
  }

  function cleanResult(data) {
    if (!data || data.type !== 3 || !data.data || !data.data.items) return data;
    var items = data.data.items.map(function (group) {
      return group.map(function (item) {
        var copy = {};
        for (var key in item) if (Object.prototype.hasOwnProperty.call(item, key)) copy[key] = item[key];
        copy.title = strip(item.title);
        copy.text = strip(item.text);
        return copy;
      });
    });
    var result = {};
    for (var k in data.data) if (Object.prototype.hasOwnProperty.call(data.data, k)) result[k] = data.data[k];
    result.items = items;
    return { type: data.type, data: result };
  }

  function adapt(worker) {
    var post = worker.postMessage;
    worker.postMessage = function (message) {
      var rest = Array.prototype.slice.call(arguments, 1);
      if (message && message.type === 2 && typeof message.data === "string") {
        var deliver = function () {
          post.apply(worker, [{ type: 2, data: words(convert(message.data)) }].concat(rest));
        };
        if (mapState === "loading") pendingQueries.push(deliver);
        else deliver();
        return undefined;
      }
      return post.apply(worker, arguments);
    };
    var wrappers = new WeakMap();
    var add = worker.addEventListener;
    var remove = worker.removeEventListener;
    worker.addEventListener = function (type, listener, options) {
      if (type !== "message" || typeof listener !== "function") return add.apply(worker, arguments);
      var wrapped = wrappers.get(listener);
      if (!wrapped) {
        wrapped = function (event) {
          var data = cleanResult(event.data);
          listener.call(this, data === event.data ? event : new MessageEvent("message", { data: data }));
        };
        wrappers.set(listener, wrapped);
      }
      return add.call(worker, type, wrapped, options);
    };
    worker.removeEventListener = function (type, listener, options) {
      var wrapped = typeof listener === "function" && wrappers.get(listener);
      return remove.call(worker, type, wrapped || listener, options);
    };
    return worker;
  }

  var Native = window.Worker; // under file:// the iframe-worker shim, loaded just before
  if (typeof Native === "function") {
    var Reader = function (url, options) {
      var worker = options === undefined ? new Native(url) : new Native(url, options);
      return /workers\/search\.[^/]*\.js/.test(String(url)) ? adapt(worker) : worker;
    };
    Reader.prototype = Native.prototype;
    window.Worker = Reader;
  }
})();
