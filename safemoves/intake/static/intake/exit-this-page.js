/*
 * Exit this page (the GOV.UK Design System pattern), for the public intake pages.
 *
 * The "Exit this page" link works without JavaScript: it is a plain link to a neutral site.
 * With JavaScript, pressing it or pressing Shift 3 times:
 *   1. blanks this page at once (the whole body is hidden and the forms are emptied), so that
 *      nothing stays on screen while the neutral site loads;
 *   2. replaces this page with the neutral site through location.replace, so the form never
 *      stays in the browser's history: Back goes to the page before it.
 * If the browser ever restores this page from its back-forward cache, it is blanked and left
 * again before it is shown.
 *
 * As in GOV.UK Frontend, the 3 Shift presses count when each comes within 5 seconds of the
 * last, a Shift used to type a capital letter does not count, any other key starts the count
 * again, and Esc is not used (it stops page loads).
 */
(function () {
  "use strict";

  var PRESS_WINDOW_MS = 5000;
  var PRESSES_TO_EXIT = 3;
  var link = document.querySelector("a.exit-this-page");
  if (!link) {
    return;
  }
  var exitUrl = link.getAttribute("data-exit-url") || link.href;
  var status = document.querySelector("[data-exit-this-page-status]");
  var presses = 0;
  var timer = null;
  var lastKeyWasModified = false;

  function announce(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function blank() {
    document.documentElement.classList.add("exit-this-page-active");
    document.title = "";
    var forms = document.forms;
    for (var i = 0; i < forms.length; i += 1) {
      forms[i].reset();
    }
  }

  function exitPage() {
    blank();
    window.location.replace(exitUrl);
  }

  function resetCount() {
    presses = 0;
    if (timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    }
  }

  link.addEventListener("click", function (event) {
    event.preventDefault();
    exitPage();
  });

  document.addEventListener(
    "keyup",
    function (event) {
      if (event.key === "Shift" && !lastKeyWasModified) {
        presses += 1;
        if (presses >= PRESSES_TO_EXIT) {
          resetCount();
          exitPage();
          return;
        }
        announce(
          presses === 1 ? "Shift, press 2 more times to exit." : "Shift, press 1 more time to exit."
        );
        if (timer !== null) {
          window.clearTimeout(timer);
        }
        timer = window.setTimeout(function () {
          resetCount();
          announce("");
        }, PRESS_WINDOW_MS);
      } else if (event.key !== "Shift" && presses > 0) {
        resetCount();
        announce("");
      }
      lastKeyWasModified = event.key !== "Shift" && event.shiftKey;
    },
    true
  );

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      exitPage();
    }
  });
})();
