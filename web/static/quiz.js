/*
 * Mounts the rasa-webchat widget (window.WebChat, from vendor/rasa-webchat.js) into
 * #quiz-chat and adds what the widget lacks:
 *   - a start panel: the widget connects only when the visitor opens the chat (or at
 *     once when this tab already has a conversation); on a phone the chat then fills
 *     the screen;
 *   - a status line: "Verbindung wird hergestellt …", then a German error instead of a
 *     blank box when the server cannot be reached (e.g. an origin not in WEB_ORIGINS);
 *   - a character counter on the input with the server's limits (ordinary messages,
 *     and longer job ads), which stops at the ad limit and says so;
 *   - a tap anywhere on the input bar focuses the input;
 *   - scrolling to the first line of a new reply instead of its end;
 *   - three labelled score bars for the "Punkte: …" line of a result;
 *   - "Ergebnis speichern" (print view) and "Als Text kopieren";
 *   - keyboard access for the quick-reply buttons.
 * Only #quiz-chat and window.QUIZ_CHAT_CONFIG = {socketUrl, socketPath, maxChars,
 * maxAdChars} are needed: the page server generates the config as /config.js, with the
 * limits of career_quiz/input_checks.py; an embedding page loads that file too and sets
 * its own addresses (docs/web-widget.md, "Embedding the widget"). Without the limits
 * the counter shows the count only.
 */
(function () {
  "use strict";

  var config = window.QUIZ_CHAT_CONFIG || {};
  // What the server accepts: MAX_CHARS for a message, MAX_AD_CHARS for a text that
  // looks like a job ad (the server decides that; the counter names both limits).
  var MAX_CHARS = Number(config.maxChars) > 0 ? Number(config.maxChars) : 0;
  var MAX_AD_CHARS = Number(config.maxAdChars) > MAX_CHARS ? Number(config.maxAdChars) : MAX_CHARS;
  var CONNECT_TIMEOUT_MS = 10000;
  var SESSION_KEY = "chat_session"; // rasa-webchat's sessionStorage key
  var TEXT = {
    startTitle: "Welche Back-Office-Variante passt zu Ihnen?",
    startLead: "Drei kurze Fragen, etwa zwei Minuten. Antworten Sie in eigenen Worten oder per Klick.",
    startButton: "Chat starten",
    resumeButton: "Chat fortsetzen",
    privacy:
      "Ihre Antworten und der Gesprächstext werden gespeichert, um das Quiz zu führen und zu verbessern. Details: ",
    privacyLink: "Datenschutz",
    close: "Chat schließen",
    restart: "Quiz neu starten",
    save: "Ergebnis speichern",
    copy: "Als Text kopieren",
    copied: "Das Ergebnis wurde als Text in die Zwischenablage kopiert.",
    copyFailed: "Kopieren war nicht möglich. Bitte markieren Sie den Text im Chat und kopieren Sie ihn selbst.",
    connecting: "Verbindung wird hergestellt …",
    unreachable:
      "Der Chat ist gerade nicht erreichbar. Bitte laden Sie die Seite später neu. " +
      "(Für Betreiber: Ist diese Website in WEB_ORIGINS eingetragen und läuft der Rasa-Server?)",
    lost: "Die Verbindung wurde unterbrochen. Der Chat verbindet sich neu …",
    noWidget: "Der Chat konnte nicht geladen werden. Bitte laden Sie die Seite später neu.",
    tooLong: function (n) {
      return (
        "Ihr Text war zu lang und wurde nach " + fmt(MAX_AD_CHARS) + " Zeichen abgeschnitten (" +
        fmt(n) + " Zeichen eingefügt). Bitte kürzen Sie ihn – bei einer Stellenanzeige " +
        "genügen Aufgaben und Anforderungen."
      );
    },
    counter: function (n) {
      if (!MAX_CHARS) return fmt(n) + " Zeichen";
      if (n <= MAX_CHARS || MAX_AD_CHARS === MAX_CHARS) {
        var more = MAX_AD_CHARS > MAX_CHARS ? " (Stellenanzeigen bis " + fmt(MAX_AD_CHARS) + ")" : "";
        return fmt(n) + " / " + fmt(MAX_CHARS) + " Zeichen" + more;
      }
      return (
        fmt(n) + " / " + fmt(MAX_AD_CHARS) + " Zeichen – über " + fmt(MAX_CHARS) +
        " nur für Stellenanzeigen"
      );
    },
    printTitle: "Ihr Ergebnis im Karriere-Quiz „Back Office Assistant“",
    printAnswers: "Ihre Angaben",
    printResult: "Empfehlung, Gründe und nächste Schritte",
    scoresLabel: "Punkte je Variante (von 100)",
  };

  var container = document.getElementById("quiz-chat");
  if (!container) return;
  var section = container.parentNode;
  var widget = null;
  var mounted = false;
  var connected = false;

  function fmt(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    if (text) node.textContent = text;
    return node;
  }

  // ---- the UI around the widget ----------------------------------------------------

  var start = el("div", { class: "chat-start" });
  start.appendChild(el("p", { class: "chat-start-title" }, TEXT.startTitle));
  start.appendChild(el("p", { class: "chat-start-lead" }, TEXT.startLead));
  var openButton = el("button", { type: "button", id: "quiz-open", class: "open" }, TEXT.startButton);
  start.appendChild(openButton);
  var privacy = el("p", { class: "privacy" }, TEXT.privacy);
  privacy.appendChild(el("a", { href: config.privacyUrl || "datenschutz" }, TEXT.privacyLink));
  privacy.appendChild(document.createTextNode("."));
  start.appendChild(privacy);
  section.insertBefore(start, container);

  var bar = el("div", { class: "chat-bar" });
  var closeButton = el("button", { type: "button", id: "quiz-close", class: "close" }, TEXT.close);
  bar.appendChild(closeButton);
  section.insertBefore(bar, container);

  var status = el("p", { id: "quiz-status", class: "chat-status", role: "status" });
  section.insertBefore(status, container);

  var actions = el("div", { class: "chat-actions" });
  var counter = el("p", { id: "quiz-counter", class: "counter", "aria-live": "polite" });
  var notice = el("p", { id: "quiz-notice", class: "notice", role: "alert" });
  var restart = el("button", { type: "button", id: "quiz-restart", class: "restart" }, TEXT.restart);
  var save = el("button", { type: "button", id: "quiz-save", class: "restart" }, TEXT.save);
  var copy = el("button", { type: "button", id: "quiz-copy", class: "restart" }, TEXT.copy);
  save.hidden = true;
  copy.hidden = true;
  [counter, notice, restart, save, copy].forEach(function (node) {
    actions.appendChild(node);
  });
  section.appendChild(actions);

  var printArea = el("div", { id: "quiz-print", class: "quiz-print", "aria-hidden": "true" });
  document.body.appendChild(printArea);

  container.hidden = true;
  bar.hidden = true;
  actions.hidden = true;

  function setStatus(text, isError) {
    status.textContent = text || "";
    status.className = "chat-status" + (isError ? " chat-status-error" : "");
    status.setAttribute("role", isError ? "alert" : "status");
  }

  function hasSession() {
    try {
      return !!window.sessionStorage.getItem(SESSION_KEY);
    } catch (e) {
      return false;
    }
  }

  // ---- mounting and opening ----------------------------------------------------------

  function open() {
    document.body.classList.add("chat-open");
    start.hidden = true;
    container.hidden = false;
    bar.hidden = false;
    actions.hidden = false;
    if (!mounted) mount();
    var input = container.querySelector(".rw-new-message");
    if (input) input.focus();
  }

  function close() {
    document.body.classList.remove("chat-open");
    start.hidden = false;
    openButton.textContent = TEXT.resumeButton;
    container.hidden = true;
    bar.hidden = true;
    actions.hidden = true;
    openButton.focus();
  }

  function mount() {
    mounted = true;
    if (!window.WebChat || !config.socketUrl) {
      setStatus(TEXT.noWidget, true);
      restart.hidden = true;
      return;
    }
    setStatus(TEXT.connecting, false);
    window.setTimeout(function () {
      if (!connected) setStatus(TEXT.unreachable, true);
    }, CONNECT_TIMEOUT_MS);
    window.WebChat.default(
      {
        socketUrl: config.socketUrl,
        socketPath: config.socketPath || "/socket.io/",
        initPayload: "/greet",
        title: "Karriere-Quiz",
        subtitle: "Welche Back-Office-Variante passt zu Ihnen?",
        inputTextFieldHint: "Ihre Antwort eingeben …",
        connectingText: TEXT.connecting,
        params: { storage: "session" },
        embedded: true,
        showCloseButton: false,
        withRules: false,
        hideWhenNotConnected: false,
        showMessageDate: false,
        mainColor: "#0b5cad",
        userBackgroundColor: "#0b5cad",
        userTextColor: "#ffffff",
        // A short typing pause: long enough to notice new messages, never seconds.
        customMessageDelay: function (message) {
          return Math.min(700, 200 + (message || "").length * 2);
        },
        onSocketEvent: {
          connect: function () {
            connected = true;
            setStatus("", false);
          },
          connect_error: function () {
            if (!connected) setStatus(TEXT.unreachable, true);
          },
          disconnect: function () {
            if (connected) setStatus(TEXT.lost, true);
            connected = false;
          },
        },
        innerRef: function (instance) {
          widget = instance;
        },
      },
      container
    );
  }

  // ---- keyboard access, counter, scrolling, score bars ---------------------------------

  function enhanceReplies() {
    var replies = container.querySelectorAll(".rw-reply:not([data-kb])");
    Array.prototype.forEach.call(replies, function (reply) {
      reply.setAttribute("data-kb", "1");
      reply.setAttribute("role", "button");
      reply.setAttribute("tabindex", "0");
      reply.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          reply.click();
        }
      });
    });
    var log = container.querySelector(".rw-messages-container:not([role])");
    if (log) {
      log.setAttribute("role", "log");
      log.setAttribute("aria-live", "polite");
      log.setAttribute("aria-label", "Gesprächsverlauf");
      log.setAttribute("tabindex", "0");
    }
    var input = container.querySelector(".rw-new-message:not([data-limit])");
    if (input) {
      input.setAttribute("data-limit", "1");
      input.setAttribute("aria-label", "Ihre Nachricht");
      if (MAX_AD_CHARS) input.setAttribute("maxlength", String(MAX_AD_CHARS));
      input.setAttribute("aria-describedby", "quiz-counter");
      updateCounter(input);
    }
    var send = container.querySelector(".rw-send:not([aria-label])");
    if (send) send.setAttribute("aria-label", "Senden");
  }

  function updateCounter(input) {
    var n = (input.value || "").length;
    counter.textContent = TEXT.counter(n);
    var state = "";
    if (MAX_CHARS && n >= MAX_AD_CHARS) state = " counter-full";
    else if (MAX_CHARS && n > MAX_CHARS) state = " counter-over";
    counter.className = "counter" + state;
  }

  container.addEventListener("input", function (event) {
    if (event.target.classList.contains("rw-new-message")) {
      updateCounter(event.target);
      if ((event.target.value || "").length < MAX_AD_CHARS) notice.textContent = "";
    }
  });
  container.addEventListener("paste", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("rw-new-message")) return;
    var pasted = (event.clipboardData && event.clipboardData.getData("text")) || "";
    var selected = (input.selectionEnd || 0) - (input.selectionStart || 0);
    var total = (input.value || "").length - selected + pasted.length;
    // maxlength cuts the paste; say so instead of cutting silently.
    if (MAX_AD_CHARS && total > MAX_AD_CHARS) notice.textContent = TEXT.tooLong(total);
  });
  // The input is a line in a taller bar: a tap on the bar beside it (not on the send
  // button) focuses it, so a phone's keyboard opens wherever the bar is touched.
  container.addEventListener("click", function (event) {
    if (!event.target.classList || !event.target.classList.contains("rw-sender")) return;
    var input = event.target.querySelector(".rw-new-message");
    if (input && !input.disabled) input.focus();
  });

  // Bot messages and user messages in document order.
  function bubbles() {
    return container.querySelectorAll(".rw-response, .rw-client");
  }

  // After the visitor's latest message: the first reply bubble of the answer.
  function firstReplyOfBatch() {
    var all = bubbles();
    var first = null;
    for (var i = all.length - 1; i >= 0; i--) {
      if (all[i].classList.contains("rw-client")) break;
      first = all[i];
    }
    return first;
  }

  // The widget scrolls to the end of every new message; a long reply (a result) would
  // then show its last lines. Keep the first line of the batch in view instead.
  function keepBatchStartInView() {
    var box = container.querySelector(".rw-messages-container");
    var first = firstReplyOfBatch();
    if (!box || !first) return;
    var delta = first.getBoundingClientRect().top - box.getBoundingClientRect().top;
    if (delta < 0) box.scrollTop += delta - 8;
  }

  var SCORE_LINE = /^(?:Ihre )?Punkte[^:\n]*:\s*(.+)$/m;
  var SCORE_ENTRY = /^(.*\S)\s+(\d{1,3})(?:\s*(?:von 100|Punkte))?$/;

  // "Punkte: Fach-Backoffice 89, Projektassistenz 28, Sekretariat / Teamassistenz 25"
  // -> [{label, score}], or null when the line is not there or not three scores.
  function parseScores(text) {
    var match = SCORE_LINE.exec(text || "");
    if (!match) return null;
    var separator = match[1].indexOf("·") >= 0 ? /\s*·\s*/ : /\s*,\s*/;
    var entries = match[1].split(separator).map(function (part) {
      var m = SCORE_ENTRY.exec(part.trim().replace(/\.$/, ""));
      return m ? { label: m[1], score: Math.min(100, Number(m[2])) } : null;
    });
    if (entries.length !== 3 || entries.some(function (e) { return !e; })) return null;
    return entries;
  }

  function addScoreBars() {
    var responses = container.querySelectorAll(".rw-response:not([data-scores])");
    Array.prototype.forEach.call(responses, function (response) {
      response.setAttribute("data-scores", "0");
      var paragraphs = response.querySelectorAll("p");
      Array.prototype.forEach.call(paragraphs, function (p) {
        var scores = parseScores(p.textContent);
        if (!scores) return;
        var list = el("ul", { class: "quiz-scores", "aria-label": TEXT.scoresLabel });
        scores.forEach(function (entry) {
          var item = el("li", { class: "quiz-score", "data-score": String(entry.score) });
          item.appendChild(el("span", { class: "quiz-score-label" }, entry.label));
          var track = el("span", { class: "quiz-score-track", "aria-hidden": "true" });
          var fill = el("span", { class: "quiz-score-fill" });
          fill.style.width = entry.score + "%";
          track.appendChild(fill);
          item.appendChild(track);
          item.appendChild(el("span", { class: "quiz-score-value" }, entry.score + " von 100"));
          list.appendChild(item);
        });
        p.classList.add("quiz-scores-text");
        p.parentNode.insertBefore(list, p.nextSibling);
        response.setAttribute("data-scores", "1");
      });
    });
  }

  // ---- keeping the result ---------------------------------------------------------------

  function textOf(node) {
    var clone = node.cloneNode(true);
    Array.prototype.forEach.call(clone.querySelectorAll(".quiz-scores"), function (list) {
      list.parentNode.removeChild(list);
    });
    Array.prototype.forEach.call(clone.querySelectorAll("li"), function (li) {
      li.insertBefore(document.createTextNode("- "), li.firstChild);
    });
    Array.prototype.forEach.call(clone.querySelectorAll("p, li"), function (block) {
      block.appendChild(document.createTextNode("\n"));
    });
    return (clone.textContent || "").replace(/\n{2,}/g, "\n").trim();
  }

  // The latest result (the bot message with "Empfehlung", then the replies after it)
  // and the answers as the bot understood them ("Notiert: …", "Geändert: …").
  function latestResult() {
    var responses = Array.prototype.slice.call(container.querySelectorAll(".rw-response"));
    var start = -1;
    for (var i = responses.length - 1; i >= 0; i--) {
      // The result's heading: "Empfehlung: …", "Neue Empfehlung: …" or a tie ("gleichauf").
      if (/Empfehlung|gleichauf/.test(responses[i].textContent || "") && responses[i].querySelector("strong")) {
        start = i;
        break;
      }
    }
    if (start < 0) return null;
    var answers = [];
    for (var j = 0; j < start; j++) {
      var line = textOf(responses[j]);
      if (/^(Notiert|Geändert)\b/.test(line)) answers.push(line);
    }
    var result = responses.slice(start).map(textOf).filter(function (t) {
      return t && !/^War diese Empfehlung hilfreich/.test(t);
    });
    return { answers: answers, result: result };
  }

  function resultText(found) {
    var parts = [TEXT.printTitle, ""];
    if (found.answers.length) parts.push(TEXT.printAnswers + ":", found.answers.join("\n"), "");
    parts.push(found.result.join("\n\n"));
    return parts.join("\n");
  }

  function updateResultButtons() {
    var has = !!latestResult();
    save.hidden = !has;
    copy.hidden = !has;
  }

  function fillPrintArea(found) {
    printArea.textContent = "";
    printArea.appendChild(el("h1", {}, TEXT.printTitle));
    printArea.appendChild(el("p", { class: "quiz-print-date" }, new Date().toLocaleDateString("de-DE")));
    if (found.answers.length) {
      printArea.appendChild(el("h2", {}, TEXT.printAnswers));
      found.answers.forEach(function (line) {
        printArea.appendChild(el("p", {}, line));
      });
    }
    printArea.appendChild(el("h2", {}, TEXT.printResult));
    found.result.forEach(function (block) {
      block.split("\n").forEach(function (line) {
        printArea.appendChild(el("p", {}, line));
      });
    });
  }

  save.addEventListener("click", function () {
    var found = latestResult();
    if (!found) return;
    fillPrintArea(found);
    // quiz.css hides everything but the result only while this class is set.
    document.body.classList.add("quiz-printing");
    window.print();
  });
  window.addEventListener("afterprint", function () {
    document.body.classList.remove("quiz-printing");
  });

  copy.addEventListener("click", function () {
    var found = latestResult();
    if (!found) return;
    var text = resultText(found);
    var done = function () {
      setStatus(TEXT.copied, false);
    };
    var fallback = function () {
      var area = el("textarea", { "aria-hidden": "true", class: "quiz-copy-buffer" });
      area.value = text;
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      document.body.removeChild(area);
      if (ok) done();
      else setStatus(TEXT.copyFailed, true);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  });

  // ---- wiring -----------------------------------------------------------------------------

  var pending = false;
  new MutationObserver(function () {
    enhanceReplies();
    // The widget clears the input after sending without an input event.
    var input = container.querySelector(".rw-new-message");
    if (input) updateCounter(input);
    addScoreBars();
    keepBatchStartInView();
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        keepBatchStartInView();
        updateResultButtons();
      });
    }
  }).observe(container, { childList: true, subtree: true });

  openButton.addEventListener("click", open);
  closeButton.addEventListener("click", close);
  restart.addEventListener("click", function () {
    if (widget && widget.sendMessage) {
      // The bot restarts the quiz on this payload; the bubble shows the German text.
      widget.sendMessage("/start_over", "Neu starten");
    }
    var input = container.querySelector(".rw-new-message");
    if (input) input.focus();
  });

  // A conversation of this tab (e.g. after a reload) goes on at once.
  if (hasSession()) open();
})();
