// The count on each cluster bubble (src/components/map_view.rs binds it as a tooltip with
// `cssCentred`). Leaflet centres a tooltip by reading its box (offsetWidth), which forces a
// layout of the whole page per label: about 60 labels on the first view cost a cheap phone a
// third of a second. These labels are centred by CSS (style/main.css) and only placed here.
import {Tooltip} from 'leaflet/src/layer/Tooltip';
import {setPosition} from 'leaflet/src/dom/DomUtil';

const place = Tooltip.prototype._setPosition;

Tooltip.include({
  _setPosition(pos) {
    if (!this.options.cssCentred) return place.call(this, pos);
    setPosition(this._container, pos);
  },
});
