//! Union staff at a desktop run their network: import stations from a spreadsheet (seeing bad
//! rows before anything is written), add a station manager, and print the station's QR poster —
//! whose code, as the browser draws it, really decodes to the station's join link.

use std::io::Write;

use fantoccini::Locator;
use yizhan_server::bootstrap::DEMO_ADMIN;

use crate::harness::{first_demo_station, wait_until, AppServer, Browser};
use crate::keep_status::{admin_at, field, fill, sign_in};

fn csv_file(dir: &tempfile::TempDir, name: &str, rows: &str) -> String {
    let path = dir.path().join(name);
    let mut f = std::fs::File::create(&path).expect("csv file");
    f.write_all(
        format!(
            "id,name,address,district,union_id,lat,lng,datum,hours,phone,amenities,hidden\n{rows}"
        )
        .as_bytes(),
    )
    .expect("write");
    path.display().to_string()
}

async fn choose_file(browser: &Browser, path: &str) {
    field(browser, "选择文件")
        .await
        .send_keys(path)
        .await
        .expect("choose file");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_imports_stations_after_a_preview_and_adds_a_manager() {
    let server = AppServer::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let browser = admin_at(&server, "/admin/import").await;

    // A file with a bad row: the preview names it and nothing can be imported
    let bad = csv_file(
        &dir,
        "bad.csv",
        "cy-e2e-1,望京新驿站,望京街 1 号,朝阳区,bj-chaoyang,39.99,116.47,wgs84,24/7,,water;charging,0\n\
         cy-e2e-2,坐标写错了,望京街 2 号,朝阳区,bj-chaoyang,north,116.47,wgs84,24/7,,,0\n",
    );
    choose_file(&browser, &bad).await;
    browser.tap("button", "预览").await;
    browser.wait_text("纬度").await;
    let import = browser.wait_role("button", "导入").await;
    assert!(
        import.attr("disabled").await.expect("attr").is_some(),
        "import must wait for a clean file"
    );
    // A clean file (one row in Amap's GCJ-02): preview, import, and riders find it
    let good = csv_file(
        &dir,
        "good.csv",
        "cy-e2e-1,望京新驿站,望京街 1 号,朝阳区,bj-chaoyang,39.99,116.47,wgs84,24/7,,water;charging,0\n\
         cy-e2e-2,高德坐标驿站,望京街 2 号,朝阳区,bj-chaoyang,40.0013,116.4771,gcj02,24/7,,microwave,0\n",
    );
    choose_file(&browser, &good).await;
    browser.tap("button", "预览").await;
    browser.wait_text("新建 2 个").await;
    browser.tap("button", "导入").await;
    browser.wait_text("已导入 2 个驿站").await;
    let rider = Browser::phone().await;
    rider
        .client
        .goto(&server.url("/stations/cy-e2e-2"))
        .await
        .expect("open");
    rider.wait_role("heading", "高德坐标驿站").await;

    // A new manager for the imported station gets a one-time password
    browser
        .client
        .goto(&server.url("/admin/people"))
        .await
        .expect("open");
    browser.wait_role("heading", "新建账号").await;
    // The station picker fills in when the stations arrive and pushes 创建 down the page: a
    // person waits for it, and a tap made meanwhile could land on a station instead.
    browser.wait_text("高德坐标驿站").await;
    fill(&browser, "用户名", "zhang.wei").await;
    fill(&browser, "姓名", "张伟").await;
    browser.tap("button", "创建").await;
    browser.wait_text("只显示一次，请抄下来交给站长").await;
    browser.wait_text("zhang.wei").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_printed_poster_decodes_to_the_station_join_link() {
    let server = AppServer::start().await;
    let station = first_demo_station();
    let browser = Browser::open(900, 1300).await;
    browser
        .client
        .goto(&server.url("/admin/posters"))
        .await
        .expect("open");
    sign_in(&browser, DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    browser.wait_role("heading", "驿站海报").await;
    let poster = browser
        .wait(
            "the station's poster link",
            Locator::XPath(&format!(
                "//a[normalize-space()='查看海报'][contains(@href, '/api/v1/stations/{}/poster.svg')]",
                station.id
            )),
        )
        .await;
    let href = poster.attr("href").await.expect("attr").expect("href");
    // The browser draws the SVG; a real QR decoder reads the screenshot.
    browser
        .client
        .goto(&server.url(&href))
        .await
        .expect("open poster");
    browser
        .wait(
            "the poster's QR code",
            Locator::XPath("//*[local-name()='path'][@id='qr']"),
        )
        .await;
    let png = browser.client.screenshot().await.expect("screenshot");
    let decoded = decode_qr(&png);
    assert_eq!(
        decoded,
        format!("{}/join?station={}", server.base, station.id)
    );
}

/// Decodes the one QR code in a PNG screenshot.
fn decode_qr(png: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("png frame");
    let channels = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    let luma = |x: usize, y: usize| -> u8 {
        let i = (y * w + x) * channels;
        let (r, g, b) = if channels >= 3 {
            (buf[i] as u32, buf[i + 1] as u32, buf[i + 2] as u32)
        } else {
            (buf[i] as u32, buf[i] as u32, buf[i] as u32)
        };
        ((r * 299 + g * 587 + b * 114) / 1000) as u8
    };
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, luma);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the poster");
    let (_, content) = grids[0].decode().expect("the QR code decodes");
    content
}

/// Taps the control `css` until the embed snippet contains `needle`.
async fn choose_until_snippet_has(browser: &Browser, css: &str, needle: &str) {
    wait_until(
        &format!("the snippet to show {needle}"),
        || async {
            let control = browser.wait(css, Locator::Css(css)).await;
            if control.prop("checked").await.ok().flatten().as_deref() != Some("true") {
                let _ = control.click().await;
            }
            field(browser, "嵌入代码")
                .await
                .prop("value")
                .await
                .ok()
                .flatten()
                .unwrap_or_default()
        },
        |code| code.contains(needle),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_web_editor_builds_the_embed_snippet_with_a_live_preview() {
    let server = AppServer::start().await;
    let browser = admin_at(&server, "/admin/embed").await;
    browser.wait_role("heading", "网站嵌入").await;
    // English and microwave only. (The page may still be settling after signing in, so each
    // choice is made until the snippet shows it, as a person would tap again.)
    choose_until_snippet_has(&browser, "#embed-lang-en", "lang=en").await;
    choose_until_snippet_has(&browser, "#embed-amenity-microwave", "amenities=microwave").await;
    browser.tap("button", "复制代码").await;
    let code = field(&browser, "嵌入代码")
        .await
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default();
    assert!(code.contains("/embed?union=bj-chaoyang"), "{code}");
    assert!(code.contains("lang=en"), "{code}");
    assert!(code.contains("amenities=microwave"), "{code}");
    for attribute in ["allow=\"geolocation\"", "loading=\"lazy\"", "title=\""] {
        assert!(code.contains(attribute), "{attribute} missing: {code}");
    }
    // The preview frames the embed on this very deployment and it shows stations
    let frame = browser
        .wait(
            "the preview frame",
            Locator::XPath("//iframe[contains(@src, '/embed?')]"),
        )
        .await;
    let src = frame.attr("src").await.expect("attr").unwrap_or_default();
    assert!(src.contains("lang=en"), "{src}");
    frame.enter_frame().await.expect("enter the preview");
    browser
        .wait(
            "a station in the preview's list",
            Locator::XPath("//section[@aria-label='Station list']//ol/li/a"),
        )
        .await;
}
