/* laborwatch web UI: the collapsible menu on phones, self-refreshing live regions (inbox, overview) and the
   switchable sound / browser notification for new level I/II alerts. Everything works without it: the menu is
   shown open, the pages can be reloaded by hand. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function setupMenu() {
    var button = document.getElementById("nav-toggle");
    var header = document.querySelector("header.top");
    if (!button || !header) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = header.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function store(key, value) {
    try {
      if (value === undefined) { return window.localStorage.getItem(key); }
      window.localStorage.setItem(key, value);
    } catch (e) { /* private mode: switches simply do not persist */ }
    return null;
  }

  function beep() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      var ctx = new Ctx();
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.15;
      osc.connect(gain); gain.connect(ctx.destination);
      osc.start(); osc.stop(ctx.currentTime + 0.6);
    } catch (e) { /* no audio device */ }
  }

  function setupSwitch(id, key, onEnable) {
    var box = document.getElementById(id);
    if (!box) { return function () { return false; }; }
    box.checked = store(key) === "1";
    box.addEventListener("change", function () {
      store(key, box.checked ? "1" : "0");
      if (box.checked && onEnable) { onEnable(box); }
    });
    return function () { return box.checked; };
  }

  function setupLive() {
    var region = document.querySelector("[data-refresh]");
    if (!region || !region.id) { return; }
    var seconds = Math.max(15, parseInt(region.getAttribute("data-refresh"), 10) || 60);
    var paused = document.getElementById("refresh-pause");
    var soundOn = setupSwitch("sound-toggle", "lw-sound", null);
    var notifyOn = setupSwitch("notify-toggle", "lw-notify", function (box) {
      if (window.Notification && Notification.permission === "default") {
        Notification.requestPermission().then(function (p) { if (p !== "granted") { box.checked = false; } });
      }
    });
    var urgent = parseInt(region.getAttribute("data-urgent") || "0", 10);

    function busy() {
      var active = document.activeElement;
      return (paused && paused.getAttribute("aria-pressed") === "true") ||
        document.visibilityState === "hidden" ||
        region.querySelector("input[type=checkbox]:checked") !== null ||
        (active && region.contains(active) && /INPUT|SELECT|TEXTAREA/.test(active.tagName));
    }

    function signal(now) {
      if (now <= urgent) { urgent = now; return; }
      var text = "有新的一级/二级预警，请立即查看。";
      if (soundOn()) { beep(); }
      if (notifyOn() && window.Notification && Notification.permission === "granted") {
        new Notification("劳动争议舆情预警", { body: text });
      }
      urgent = now;
    }

    function refresh() {
      if (busy()) { return; }
      fetch(window.location.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (r) {
          if (!r.ok || r.redirected) { throw new Error("refresh refused"); }
          return r.text();
        })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById(region.id);
          if (!fresh || busy()) { return; }
          region.innerHTML = fresh.innerHTML;
          var status = document.getElementById("live-status");
          if (status) { status.textContent = "已自动刷新 " + new Date().toLocaleTimeString("zh-CN"); }
          signal(parseInt(fresh.getAttribute("data-urgent") || "0", 10));
        })
        .catch(function () { /* offline or logged out: the next full reload shows why */ });
    }

    if (paused) {
      paused.hidden = false;
      paused.addEventListener("click", function () {
        var on = paused.getAttribute("aria-pressed") !== "true";
        paused.setAttribute("aria-pressed", on ? "true" : "false");
        paused.textContent = on ? "恢复自动刷新" : "暂停自动刷新";
      });
    }
    window.setInterval(refresh, seconds * 1000);
    window.laborwatchRefresh = refresh;  /* the same refresh, callable at once (browser tests) */
  }

  ready(function () { setupMenu(); setupLive(); });
}());
