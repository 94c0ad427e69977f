// The client-side clustering pages measured by map-bench.mjs on the same points Yizhan serves:
//   ?mode=supercluster   supercluster index in the page, clusters re-drawn as L.marker divIcons
//                        on every moveend (the way supercluster's own Leaflet example does it);
//   ?mode=markercluster  Leaflet.markercluster with every point as an L.marker (addLayers,
//                        chunkedLoading as its README recommends for large sets).
// Both read /out/points.geojson. Timings go to window.__bench (performance.now() clock):
//   responseAt   fetch resolved (headers in)       parsedAt  JSON parsed (data in memory)
//   indexedAt    index / layer built               drawnAt   first frame after markers are in the DOM
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  const mode = params.get('mode') || 'supercluster';
  const lat = Number(params.get('lat') || 39.904);
  const lng = Number(params.get('lng') || 116.407);
  const zoom = Number(params.get('zoom') || 11);
  const bench = (window.__bench = window.__bench || {});
  bench.mode = mode;
  bench.moves = 0;

  const map = L.map('map', { preferCanvas: true, maxZoom: 18 }).setView([lat, lng], zoom);
  map.on('moveend', () => { bench.moves += 1; });
  const afterPaint = (f) => requestAnimationFrame(() => setTimeout(f, 0));

  function icon(count) {
    const size = count < 10 ? 32 : count < 100 ? 40 : 48;
    return L.divIcon({ html: '<div class="cluster-count">' + count + '</div>', className: 'sc',
                       iconSize: L.point(size, size) });
  }

  async function start() {
    bench.fetchAt = performance.now();
    const res = await fetch('/out/points.geojson');
    bench.responseAt = performance.now();
    const data = await res.json();
    bench.parsedAt = performance.now();
    bench.points = data.features.length;
    if (mode === 'supercluster') {
      const index = new Supercluster({ radius: 60, maxZoom: 16 });
      index.load(data.features);
      bench.indexedAt = performance.now();
      const layer = L.layerGroup().addTo(map);
      const draw = () => {
        const b = map.getBounds();
        const clusters = index.getClusters([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()],
                                           map.getZoom());
        layer.clearLayers();
        for (const c of clusters) {
          const [x, y] = c.geometry.coordinates;
          if (c.properties.cluster) {
            layer.addLayer(L.marker([y, x], { icon: icon(c.properties.point_count) }));
          } else {
            layer.addLayer(L.circleMarker([y, x], { radius: 7, weight: 1.5, color: '#fff',
                                                     fillColor: '#2e7d32', fillOpacity: 0.9 }));
          }
        }
        bench.drawnCount = clusters.length;
      };
      draw();
      map.on('moveend', draw);
    } else {
      let done;
      const finished = new Promise((r) => { done = r; });
      const group = L.markerClusterGroup({
        chunkedLoading: true,
        chunkProgress: (processed, total) => { if (processed === total) done(); },
      });
      map.addLayer(group);
      const markers = data.features.map((f) => {
        const [x, y] = f.geometry.coordinates;
        return L.marker([y, x]);
      });
      group.addLayers(markers);
      await finished;
      bench.indexedAt = performance.now();
    }
    // Markers are in the DOM now: note the end of the next frame.
    const ready = () => document.querySelector('.marker-cluster, .cluster-count');
    const poll = () => {
      if (ready()) {
        afterPaint(() => { bench.drawnAt = performance.now(); });
      } else {
        setTimeout(poll, 0);
      }
    };
    poll();
  }
  start().catch((e) => { bench.error = String(e); });
})();
