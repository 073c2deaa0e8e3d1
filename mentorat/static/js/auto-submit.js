/* Sends, once the page is shown, each form marked `data-auto-submit`.
 *
 * Signed links in emails (a check-in score, "stop these reminders") open a page whose
 * POST form does the action: the person needs one click, while a mail scanner that only
 * fetches the link (GET) records nothing. Without JavaScript, the form's visible button
 * does the same. A page prerendered in the background waits until it is shown. */
(function () {
  "use strict";

  function send() {
    if (document.visibilityState === "hidden") {
      document.addEventListener("visibilitychange", send, { once: true });
      return;
    }
    document.querySelectorAll("form[data-auto-submit]").forEach(function (form) {
      if (form.dataset.sent) {
        return;
      }
      form.dataset.sent = "1";
      form.setAttribute("aria-busy", "true");
      if (typeof form.requestSubmit === "function") {
        form.requestSubmit();
      } else {
        form.submit();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", send);
  } else {
    send();
  }
})();
