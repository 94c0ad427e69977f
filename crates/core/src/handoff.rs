//! Hand-offs to the rider's navigation app. Only https links (they work inside WeChat, which
//! blocks app schemes), each told the coordinates are WGS-84; a `geo:` link only outside WeChat.

use crate::geo::LatLng;
use crate::url::encode_component;

/// Which app a link opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NavApp {
    /// 高德地图 (Amap), web marker page that offers the app.
    Amap,
    /// 百度地图.
    Baidu,
    /// Apple Maps.
    Apple,
    /// Whatever handles `geo:` (Android); not offered inside WeChat.
    Geo,
}

/// Whether a user agent is WeChat's in-app browser.
pub fn is_wechat(user_agent: &str) -> bool {
    user_agent.contains("MicroMessenger")
}

/// The apps to offer, in order, for this browser.
pub fn apps_for(user_agent: &str) -> Vec<NavApp> {
    let mut apps = vec![NavApp::Amap, NavApp::Baidu, NavApp::Apple];
    if !is_wechat(user_agent) {
        apps.push(NavApp::Geo);
    }
    apps
}

/// The link that opens `app` at `at`, labelled `name`.
pub fn link(app: NavApp, at: LatLng, name: &str) -> String {
    let (lat, lng) = (at.lat.get(), at.lng.get());
    let name = encode_component(name);
    match app {
        NavApp::Amap => format!(
            "https://uri.amap.com/marker?position={lng},{lat}&name={name}&coordinate=wgs84&callnative=1&src=yizhan"
        ),
        NavApp::Baidu => format!(
            "https://api.map.baidu.com/marker?location={lat},{lng}&title={name}&content={name}&output=html&coord_type=wgs84&src=yizhan"
        ),
        NavApp::Apple => format!("https://maps.apple.com/?ll={lat},{lng}&q={name}"),
        NavApp::Geo => format!("geo:{lat},{lng}?q={lat},{lng}({name})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn here() -> LatLng {
        LatLng::new(39.9087, 116.3975).expect("point")
    }

    #[test]
    fn amap_link_says_wgs84_and_puts_longitude_first() {
        let l = link(NavApp::Amap, here(), "驿站");
        assert!(l.starts_with("https://uri.amap.com/marker?position=116.3975,39.9087&"));
        assert!(l.contains("coordinate=wgs84"));
        assert!(l.contains("name=%E9%A9%BF%E7%AB%99"));
    }

    #[test]
    fn baidu_link_says_wgs84() {
        let l = link(NavApp::Baidu, here(), "a&b");
        assert!(l.starts_with("https://api.map.baidu.com/marker?location=39.9087,116.3975&"));
        assert!(l.contains("coord_type=wgs84"));
        assert!(
            l.contains("title=a%26b"),
            "names cannot break the query: {l}"
        );
    }

    #[test]
    fn wechat_gets_no_geo_link_and_no_app_schemes() {
        let ua = "Mozilla/5.0 (Linux; Android 12) MicroMessenger/8.0.40";
        let apps = apps_for(ua);
        assert!(!apps.contains(&NavApp::Geo));
        assert!(apps
            .iter()
            .all(|a| link(*a, here(), "x").starts_with("https://")));
        assert!(apps_for("Mozilla/5.0 (Linux; Android 12) Chrome/120").contains(&NavApp::Geo));
    }
}
