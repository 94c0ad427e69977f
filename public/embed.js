/*! Yizhan embed.js (MIT): sizes each <iframe data-yizhan-embed> to its content. See README. */
(function () {
  var auto = { type: 'yizhan:auto' };
  function each(fn) {
    var f = document.querySelectorAll('iframe[data-yizhan-embed]');
    for (var i = 0; i < f.length; i++) {
      try { fn(f[i], new URL(f[i].src, location.href).origin); } catch (_) {}
    }
  }
  addEventListener('message', function (e) {
    var d = e.data, h = d && d.type === 'yizhan:height' && Math.round(d.height);
    if (!(h > 0 && h < 2e4)) return;
    // Only from the frame that sent it, when it is the site the frame was given.
    each(function (f, o) {
      if (f.contentWindow === e.source && o === e.origin) {
        f.style.height = h + 'px';
        e.source.postMessage(auto, o);
      }
    });
  });
  // Frames loaded before this script size themselves once told.
  each(function (f, o) { f.contentWindow.postMessage(auto, o); });
})();
