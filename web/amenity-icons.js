// Amenity icons beside a station marker at street zoom (src/components/map_view.rs sets them):
// a rider sees where the water, charging and microwave are without opening anything. Drawn on
// the markers' canvas with paths, not text, so no font is needed; the list stays the accessible
// twin. A circle marker whose options carry `icons` (a letter per amenity: w water, c charging,
// m microwave; upper case when out of order, drawn grey) and `iconsFrom` (the least zoom that
// shows them) draws them in a row on a white pill under its circle.
import {CircleMarker} from 'leaflet/src/layer/vector/CircleMarker';
import {Bounds} from 'leaflet/src/geometry/Bounds';
import {Point} from 'leaflet/src/geometry/Point';

const SIZE = 10; // each icon's box, in CSS pixels
const GAP = 2;
const BROKEN = '#9e9e9e';
const COLOURS = {w: '#1565c0', c: '#f9a825', m: '#d84315'};

function draw(ctx, kind, x, y, colour) {
  ctx.fillStyle = colour;
  ctx.strokeStyle = colour;
  ctx.beginPath();
  if (kind === 'w') { // a drop
    ctx.arc(x + 5, y + 6.5, 3.5, 0, 2 * Math.PI);
    ctx.moveTo(x + 5, y + 0.5);
    ctx.lineTo(x + 8.2, y + 5.3);
    ctx.lineTo(x + 1.8, y + 5.3);
    ctx.fill();
  } else if (kind === 'c') { // a lightning bolt
    const bolt = [[6, 0], [1.5, 6], [4.5, 6], [3.5, 10], [8.5, 4], [5.5, 4], [6.5, 0]];
    bolt.forEach(([px, py], i) => (i ? ctx.lineTo(x + px, y + py) : ctx.moveTo(x + px, y + py)));
    ctx.fill();
  } else if (kind === 'm') { // an oven: a box with its window
    ctx.lineWidth = 1.5;
    ctx.strokeRect(x + 0.75, y + 1.75, 8.5, 6.5);
    ctx.fillRect(x + 2, y + 3, 4.5, 4);
  }
}

// The pill's box under the circle, or null when none shows at this zoom.
function pill(m) {
  const icons = m.options.icons;
  if (!icons || !m._map || m._map.getZoom() < m.options.iconsFrom) return null;
  const w = icons.length * (SIZE + GAP) + GAP;
  const x = m._point.x - w / 2;
  const y = m._point.y + m._radius + m.options.weight + 1;
  return {x, y, w, h: SIZE + 2 * GAP};
}

const circle = CircleMarker.prototype;
const drawCircle = circle._updatePath;
const boundsOfCircle = circle._updateBounds;

CircleMarker.include({
  _updatePath() {
    drawCircle.call(this);
    const r = this._renderer;
    const p = r._drawing && !this._empty() && pill(this);
    if (!p) return;
    const ctx = r._ctx;
    ctx.save();
    ctx.globalAlpha = 1;
    ctx.fillStyle = '#ffffff';
    ctx.beginPath();
    ctx.rect(p.x, p.y, p.w, p.h);
    ctx.fill();
    [...this.options.icons].forEach((ch, i) => {
      const kind = ch.toLowerCase();
      draw(ctx, kind, p.x + GAP + i * (SIZE + GAP), p.y + GAP, ch === kind ? COLOURS[kind] : BROKEN);
    });
    ctx.restore();
  },
  // The canvas clears and redraws a marker by its box: the box takes in the icons.
  _updateBounds() {
    boundsOfCircle.call(this);
    const p = this._point && pill(this);
    if (p) this._pxBounds = this._pxBounds.extend(new Bounds(new Point(p.x, p.y), new Point(p.x + p.w, p.y + p.h)));
  },
});
