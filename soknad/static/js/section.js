/* One point of the application: autosave, table rows and uploads.
   Everything here is an improvement on a form that works without JavaScript:
   the "Lagre" button, the row buttons and the file inputs all post the form normally. */
(function () {
  "use strict";

  // After a refused save the error summary has the focus (autofocus); make sure of it when the
  // browser did not honour autofocus on it.
  var summary = document.getElementById("feiloppsummering");
  if (summary && (document.activeElement === document.body || !document.activeElement)) {
    summary.focus();
  }

  var form = document.querySelector("form[data-autosave]");
  if (!form) { return; }
  var statusLine = document.getElementById("lagrestatus");
  var versionInput = form.querySelector("input[name=version]");
  var csrfInput = form.querySelector("input[name=csrf_token]");
  var DELAY_MS = 1500;
  var RETRY_MS = 10000;

  var changes = 0;        // edits made on this page
  var savedChanges = 0;   // edits known to be saved
  var timer = null;
  var inFlight = false;
  var stopped = false;    // after a conflict: only a deliberate "Lagre" may decide
  var submitWaiting = false;  // "Lagre" was pressed while an autosave was on its way
  var waitingSubmitter = null;

  function setStatus(text, isError) {
    statusLine.textContent = text;
    statusLine.classList.toggle("error", Boolean(isError));
  }

  function isTyped(element) {
    return element.tagName === "TEXTAREA" ||
      (element.tagName === "INPUT" && /^(text|email|tel|url|search|number)$/.test(element.type));
  }

  function schedule(delay) {
    if (stopped) { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(save, delay);
  }

  function markChanged(event) {
    if (event && event.target && event.target.type === "file") { return; }
    // A text field's "change" (on leaving it) comes after its "input" events: the edit is
    // counted already, and rewriting the status line here, as the pointer goes down on
    // «Lagre», could move the button from under it and lose the click.
    if (event && event.type === "change" && isTyped(event.target)) { return; }
    changes++;
    setStatus("Endringer ikke lagret ennå …");
    schedule(DELAY_MS);
  }

  function formData() {
    var data = new FormData(form);
    Array.from(data.keys()).forEach(function (key) {
      if (/__filer$/.test(key)) { data.delete(key); }
    });
    data.set("handling", "autolagre");
    return data;
  }

  function refreshSession(then) {
    fetch(form.getAttribute("data-session"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.logged_in) {
          csrfInput.value = state.csrf_token;
          then();
        } else {
          setStatus("Du er logget ut. Teksten din er ikke lagret ennå, men den står i skjemaet. " +
                    "Logg inn i en ny fane, og kom tilbake hit: da lagres den.", true);
          window.addEventListener("focus", function retry() {
            window.removeEventListener("focus", retry);
            refreshSession(then);
          });
        }
      })
      .catch(function () { schedule(RETRY_MS); });
  }

  // Post the form the normal way once the autosave in flight has answered: with the version
  // number that autosave got back, the post does not conflict with the person's own autosave.
  function submitIfWaiting() {
    if (!submitWaiting) { return false; }
    submitWaiting = false;
    var submitter = waitingSubmitter;
    waitingSubmitter = null;
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit(submitter);
    } else {
      if (submitter && submitter.name) {
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = submitter.name;
        hidden.value = submitter.value;
        form.appendChild(hidden);
      }
      stopped = true;
      savedChanges = changes;
      form.submit();
    }
    return true;
  }

  // A field over its character limit is not sent: the server would refuse the whole point.
  // The text stays in the field; the next change tries again.
  function overLimit() {
    var over = window.soknadOverLimit ? window.soknadOverLimit(form) : null;
    if (over) {
      setStatus("Ikke lagret: " + over.message + " Teksten står fortsatt i feltet.", true);
    }
    return over;
  }

  function save() {
    if (stopped || changes === savedChanges) { return; }
    if (inFlight) { schedule(DELAY_MS); return; }
    if (overLimit()) { return; }
    inFlight = true;
    var sending = changes;
    setStatus("Lagrer …");
    fetch(form.getAttribute("data-autosave"), {
      method: "POST", body: formData(), credentials: "same-origin",
      headers: {"Accept": "application/json", "X-Requested-With": "fetch"}
    }).then(function (response) {
      return response.json().then(function (body) { return {status: response.status, body: body}; });
    }).then(function (result) {
      inFlight = false;
      var body = result.body;
      if (result.status === 200) {
        versionInput.value = body.version;
        savedChanges = sending;
        if (submitIfWaiting()) { return; }
        setStatus(changes === savedChanges ? body.message : "Endringer ikke lagret ennå …");
        if (changes !== savedChanges) { schedule(DELAY_MS); }
      } else if (result.status === 409) {
        stopped = true;
        setStatus(body.message, true);
        submitIfWaiting();  // the server shows both versions side by side
      } else if (result.status === 422 && body.reason === "limit") {
        if (submitIfWaiting()) { return; }
        setStatus(body.message, true);  // not retried: the next change tries again
      } else if (result.status === 400 && (body.reason === "session" || body.reason === "csrf")) {
        setStatus(body.message, body.reason === "session");
        refreshSession(function () { schedule(0); });
      } else {
        if (submitIfWaiting()) { return; }
        setStatus((body.message || "Ikke lagret.") + " Prøver igjen om litt.", true);
        schedule(RETRY_MS);
      }
    }).catch(function () {
      inFlight = false;
      if (submitIfWaiting()) { return; }
      setStatus("Ikke lagret: ingen forbindelse med tjenesten. Prøver igjen om litt. " +
                "Teksten står fortsatt i skjemaet.", true);
      schedule(RETRY_MS);
    });
  }

  form.addEventListener("input", markChanged);
  form.addEventListener("change", markChanged);
  form.addEventListener("submit", function (event) {
    window.clearTimeout(timer);
    if (inFlight) {
      // Wait for the autosave on its way (see submitIfWaiting); it answers within moments.
      event.preventDefault();
      submitWaiting = true;
      waitingSubmitter = event.submitter || null;
      setStatus("Lagrer …");
      return;
    }
    stopped = true;  // the normal post saves everything; nothing more to do here
    savedChanges = changes;
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save(); }
  });
  window.addEventListener("beforeunload", function (event) {
    if (changes !== savedChanges && !stopped) { event.preventDefault(); event.returnValue = ""; }
  });

  // ----------------------------------------------------------------- table rows

  function renumber(tbody) {
    Array.from(tbody.rows).forEach(function (row, index) {
      row.querySelectorAll("[data-row-number]").forEach(function (node) {
        node.textContent = String(index + 1);
      });
    });
  }

  function nextIndex(table) {
    var max = -1;
    table.querySelectorAll("[name]").forEach(function (input) {
      var match = /^[a-z0-9_]+-(\d+)-/.exec(input.name);
      if (match) { max = Math.max(max, parseInt(match[1], 10)); }
    });
    return max + 1;
  }

  form.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    var remove = event.target.closest("[data-remove-row]");
    if (add) {
      event.preventDefault();
      var tableId = add.getAttribute("data-add-row");
      var table = form.querySelector("table[data-table='" + tableId + "']");
      var template = document.getElementById("radmal-" + tableId);
      var tbody = table.tBodies[0];
      var maxRows = parseInt(add.getAttribute("data-max-rows"), 10);
      if (tbody.rows.length >= maxRows) {
        setStatus("Tabellen har allerede " + tbody.rows.length + " rader, og høyst " + maxRows +
                  " kan lagres. Ingen rad er lagt til.", true);
        return;
      }
      var html = template.innerHTML.replace(/__INDEX__/g, String(nextIndex(table)))
                                   .replace(/__NUMBER__/g, String(tbody.rows.length + 1));
      tbody.insertAdjacentHTML("beforeend", html);
      var first = tbody.rows[tbody.rows.length - 1].querySelector("input, textarea, select");
      if (first) { first.focus(); }
      markChanged();
      // After markChanged, so that the status line (a live region) says what happened.
      setStatus("Ny rad lagt til: rad " + tbody.rows.length + ".");
    } else if (remove) {
      event.preventDefault();
      var row = remove.closest("tr");
      var body = row.parentNode;
      var tableEl = row.closest("table");
      row.remove();
      renumber(body);
      var addButton = form.querySelector("[data-add-row='" + tableEl.getAttribute("data-table") + "']");
      if (addButton) { addButton.focus(); }
      markChanged();
      setStatus("Raden er fjernet.");
    }
  });

  // ----------------------------------------------------------------- growing table cells

  // CSS field-sizing: content lets a table cell's text area grow with its text; where a browser
  // does not support it, set the height from the text (a style property, allowed by the CSP).
  if (!(window.CSS && CSS.supports && CSS.supports("field-sizing", "content"))) {
    var grow = function (area) {
      area.style.height = "auto";
      area.style.height = (area.scrollHeight + area.offsetHeight - area.clientHeight) + "px";
    };
    form.addEventListener("input", function (event) {
      if (event.target.matches && event.target.matches(".input-table textarea")) { grow(event.target); }
    });
    form.querySelectorAll(".input-table textarea").forEach(grow);
  }

  // ----------------------------------------------------------------- uploads

  function upload(input, file) {
    var field = input.getAttribute("data-upload-field");
    var status = document.getElementById("opplasting-" + field);
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    if (file.size > max) {
      status.textContent = "«" + file.name + "» er større enn " + Math.round(max / 1048576) +
        " MB og ble ikke lastet opp. Del den opp eller komprimer den.";
      status.classList.add("error-message");
      return;
    }
    var data = new FormData();
    data.append("csrf_token", csrfInput.value);
    data.append("field", field);
    data.append("fil", file, file.name);
    var request = new XMLHttpRequest();
    request.open("POST", form.getAttribute("data-upload"));
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        status.textContent = "Laster opp «" + file.name + "» … " + Math.round(100 * event.loaded / event.total) + " %";
      }
    });
    request.addEventListener("load", function () {
      var body = {};
      try { body = JSON.parse(request.responseText); } catch (error) { body = {message: "Opplastingen feilet."}; }
      status.classList.toggle("error-message", request.status !== 200);
      status.textContent = body.message;
      if (request.status === 200) {
        var list = document.getElementById("vedlegg-" + field);
        if (list.tagName !== "UL") {
          var ul = document.createElement("ul");
          ul.className = "attachment-list";
          ul.id = list.id;
          list.replaceWith(ul);
          list = ul;
        }
        var item = document.createElement("li");
        item.textContent = body.name + " (nettopp lastet opp)";
        list.appendChild(item);
      }
    });
    request.addEventListener("error", function () {
      status.classList.add("error-message");
      status.textContent = "«" + file.name + "» ble ikke lastet opp: ingen forbindelse. Prøv igjen.";
    });
    status.classList.remove("error-message");
    status.textContent = "Laster opp «" + file.name + "» …";
    request.send(data);
  }

  form.querySelectorAll("input[type=file][data-upload-field]").forEach(function (input) {
    input.addEventListener("change", function () {
      Array.from(input.files).forEach(function (file) { upload(input, file); });
      input.value = "";
    });
  });
})();
