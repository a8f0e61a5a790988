/*
 * Mounts the rasa-webchat widget (window.WebChat, from vendor/rasa-webchat.js) into
 * #quiz-chat and wires the "Quiz neu starten" button.
 * The socket URL comes from config.js, which the page server generates (RASA_PORT).
 */
(function () {
  "use strict";

  var config = window.QUIZ_CHAT_CONFIG || {};
  var container = document.getElementById("quiz-chat");
  var restart = document.getElementById("quiz-restart");
  var widget = null;

  if (!window.WebChat || !config.socketUrl) {
    container.textContent =
      "Der Chat konnte nicht geladen werden. Bitte laden Sie die Seite später neu.";
    if (restart) restart.hidden = true;
    return;
  }

  window.WebChat.default(
    {
      socketUrl: config.socketUrl,
      socketPath: config.socketPath || "/socket.io/",
      initPayload: "/greet",
      title: "Karriere-Quiz",
      subtitle: "Welche Back-Office-Variante passt zu Ihnen?",
      inputTextFieldHint: "Ihre Antwort eingeben …",
      connectingText: "Verbindung wird hergestellt …",
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
      innerRef: function (instance) {
        widget = instance;
      },
    },
    container
  );

  // rasa-webchat renders buttons (quick replies) as <div>s: make them reachable and
  // usable by keyboard and announced as buttons; announce new messages politely.
  function enhance() {
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
    }
    var input = container.querySelector(".rw-new-message:not([aria-label])");
    if (input) input.setAttribute("aria-label", "Ihre Nachricht");
    var send = container.querySelector(".rw-send:not([aria-label])");
    if (send) send.setAttribute("aria-label", "Senden");
  }
  new MutationObserver(enhance).observe(container, { childList: true, subtree: true });
  enhance();

  if (restart) {
    restart.addEventListener("click", function () {
      if (widget && widget.sendMessage) {
        // The bot restarts the quiz on this payload; the bubble shows the German text.
        widget.sendMessage("/start_over", "Neu starten");
      }
      var input = container.querySelector(".rw-new-message");
      if (input) input.focus();
    });
  }
})();
