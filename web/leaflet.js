// The parts of Leaflet 1.9.4 the map uses (src/components/map_view.rs), bundled as the global
// `L` by web/leaflet-build.mjs: the rider's first view then carries about 10 KB (brotli) less
// than Leaflet's full dist build. Left out: markers and icons, polylines and polygons, the SVG
// renderer (see the build script), GeoJSON, image and video overlays, the layers and scale
// controls, box zoom (shift-drag) and tap-hold. A new `L.` name in the wasm-bindgen glue, or a
// Leaflet method the map starts calling, needs its module here.

// new L.Map, with the gestures riders use and the zoom and attribution controls.
export {Map} from 'leaflet/src/map/Map';
import 'leaflet/src/map/handler/Map.DoubleClickZoom';
import 'leaflet/src/map/handler/Map.Drag';
import 'leaflet/src/map/handler/Map.Keyboard';
import 'leaflet/src/map/handler/Map.ScrollWheelZoom';
import 'leaflet/src/map/handler/Map.TouchZoom';
import 'leaflet/src/control/Control.Zoom';
import 'leaflet/src/control/Control.Attribution';

export {LatLng} from 'leaflet/src/geo/LatLng';
export {LatLngBounds} from 'leaflet/src/geo/LatLngBounds';
export {TileLayer} from 'leaflet/src/layer/tile/TileLayer';
export {LayerGroup} from 'leaflet/src/layer/LayerGroup';

// Stations, bubbles and the rider's dot: circle markers on one canvas (L.canvas), with
// popups (bindPopup) and the bubbles' count labels (bindTooltip).
export {CircleMarker} from 'leaflet/src/layer/vector/CircleMarker';
export {canvas} from 'leaflet/src/layer/vector/Canvas';
import 'leaflet/src/layer/vector/Renderer.getRenderer';
import 'leaflet/src/layer/Popup';
import 'leaflet/src/layer/Tooltip';
// Small amenity icons under each station at street zoom, drawn on the same canvas.
import './amenity-icons.js';
// Bubble counts placed without measuring them.
import './count-labels.js';
