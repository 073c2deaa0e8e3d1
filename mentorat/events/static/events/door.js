// The door page of an event (events/door.html): check people in by scanning their QR
// code (the browser's BarcodeDetector, where it exists) or by typing their name.
// Each check-in is first written to a queue in localStorage, then sent; it stays in the
// queue until the server answers (success or a final refusal), and the queue is sent
// again every few seconds and whenever the connection comes back. The server endpoint is
// idempotent, so a check-in sent twice (an answer lost on a poor connection) is harmless.
(function () {
  "use strict";
  var root = document.getElementById("door");
  if (!root) return;
  var key = "mentorat.door." + root.dataset.event;
  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  var statusBox = document.getElementById("door-status");
  var results = document.getElementById("door-results");
  var queueCount = document.getElementById("door-queue-count");
  var sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function save(queue) {
    localStorage.setItem(key, JSON.stringify(queue));
    queueCount.textContent = String(queue.length);
  }
  function say(text) { statusBox.textContent = text; }

  function enqueue(item) {
    var queue = load();
    var same = queue.some(function (q) {
      return q.token === item.token && q.registration === item.registration;
    });
    if (!same) queue.push(item);
    save(queue);
    say(root.dataset.labelWaiting);
    flush();
  }

  function markDone(registrationId) {
    var button = results.querySelector('button[data-id="' + registrationId + '"]');
    if (button) {
      button.disabled = true;
      button.firstChild.textContent = root.dataset.labelChecked;
    }
  }

  function send(item) {
    var body = new URLSearchParams();
    if (item.token) body.set("token", item.token);
    if (item.registration) body.set("registration", String(item.registration));
    return fetch(root.dataset.checkInUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf },
      body: body,
    }).then(function (response) {
      if (response.status >= 500) throw new Error("server " + response.status);
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    });
  }

  function flush() {
    if (sending) return;
    var queue = load();
    if (!queue.length) return;
    sending = true;
    var item = queue[0];
    send(item).then(function (answer) {
      // Answered: done (checked in) or refused for good; either way it leaves the queue.
      var rest = load().filter(function (q) {
        return !(q.token === item.token && q.registration === item.registration);
      });
      save(rest);
      say(answer.data.ok ? answer.data.message : answer.data.error);
      if (answer.data.ok) markDone(answer.data.id);
      sending = false;
      flush();
    }).catch(function () {
      // No answer (offline, timeout, server error): keep it and try again later.
      sending = false;
    });
  }

  // Search by name.
  var search = document.getElementById("door-search");
  var timer = null;
  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = search.value.trim();
      if (q.length < 2) { results.replaceChildren(); return; }
      fetch(root.dataset.searchUrl + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          results.replaceChildren();
          if (!data.results.length) {
            var none = document.createElement("li");
            none.textContent = root.dataset.labelNone;
            results.appendChild(none);
          }
          data.results.forEach(function (person) {
            var li = document.createElement("li");
            var name = document.createElement("span");
            name.textContent = person.name + " — " + person.status + " ";
            var button = document.createElement("button");
            button.type = "button";
            button.dataset.id = String(person.id);
            // The visible label, then the person's name for screen readers.
            button.appendChild(document.createTextNode(
              person.attended ? root.dataset.labelChecked : root.dataset.labelCheckIn));
            var who = document.createElement("span");
            who.className = "visually-hidden";
            who.textContent = " — " + person.name;
            button.appendChild(who);
            button.disabled = person.attended;
            button.addEventListener("click", function () {
              enqueue({ registration: person.id, token: "" });
            });
            li.appendChild(name);
            li.appendChild(button);
            results.appendChild(li);
          });
        })
        .catch(function () { /* offline: the name search needs the server; scan still queues */ });
    }, 250);
  });

  // Scan with the camera, where the browser can read QR codes.
  var scan = document.getElementById("door-scan");
  var video = document.getElementById("door-video");
  var lastToken = "";
  scan.addEventListener("click", function () {
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices) {
      say(root.dataset.labelNoCamera);
      search.focus();
      return;
    }
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      video.play();
      scan.hidden = true;
      var tick = function () {
        detector.detect(video).then(function (codes) {
          codes.forEach(function (code) {
            if (code.rawValue && code.rawValue !== lastToken) {
              lastToken = code.rawValue;
              enqueue({ token: code.rawValue, registration: 0 });
            }
          });
        }).catch(function () {}).finally(function () { setTimeout(tick, 300); });
      };
      tick();
    }).catch(function () { say(root.dataset.labelNoCamera); search.focus(); });
  });

  save(load());
  flush();
  setInterval(flush, 5000);
  window.addEventListener("online", flush);
})();
