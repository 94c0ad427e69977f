//! The crash soak (`make soak`; not part of `make test`): 64 clients send 1,200 writes
//! (membership applications, fault reports, status saves), each with an Idempotency-Key and
//! retried until answered as the app's outboxes do, while the server is killed with SIGKILL at random moments and restarted.
//! Afterwards every write exists exactly once. Prints the counts (docs/reliability.md).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use yizhan_server::bootstrap::DEMO_ADMIN;

use crate::reliability::{start_server_with, until_ready};

const CLIENTS: usize = 64;
/// Enough demo stations for 40 of them in one union.
const SEED: &[(&str, &str)] = &[("YIZHAN_DEMO_STATIONS", "2000")];
const PER_KIND: usize = 400;
const STATUS_STATIONS: usize = 40;
/// The soak stops killing after this many kills or this long, whichever comes first.
const MAX_KILLS: usize = 12;
const MAX_TIME: Duration = Duration::from_secs(240);

#[derive(Clone, Copy, Debug)]
enum Write {
    Application(usize),
    Report(usize),
    /// Station (by index) and the n-th save of it.
    Status(usize, usize),
}

/// Small, seeded, good enough to pick moments.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

struct Soak {
    base: String,
    client: reqwest::Client,
    stations: Vec<String>,
    cookie: String,
    csrf: String,
    /// Writes answered on the first try, and those that needed retries.
    first_try: AtomicUsize,
    /// The version each status save read before its first try.
    versions: std::sync::Mutex<std::collections::HashMap<(usize, usize), u64>>,
    retried: AtomicUsize,
    attempts: AtomicUsize,
}

impl Soak {
    /// One attempt; `Some(true)` when the write is stored, `None` for no answer.
    async fn attempt(&self, w: Write) -> Option<bool> {
        self.attempts.fetch_add(1, Ordering::Relaxed);
        let res = match w {
            Write::Application(i) => {
                let station = &self.stations[i % self.stations.len()];
                self.client
                    .post(format!("{}/api/v1/applications", self.base))
                    .header("Idempotency-Key", format!("soak-application-{i:05}"))
                    .header("X-Forwarded-For", format!("10.2.{}.{}", i / 200, i % 200 + 1))
                    .json(&json!({
                        "station_id": station, "name": "骑手", "phone": format!("139{i:08}"),
                        "employer": "meituan", "occupation": "food_delivery",
                        "work_district": "望京", "consent": {"policy_version": "2026-11", "accepted": true},
                    }))
                    .send()
                    .await
                    .ok()?
            }
            Write::Report(i) => {
                let station = &self.stations[i % self.stations.len()];
                self.client
                    .post(format!("{}/api/v1/stations/{station}/reports", self.base))
                    .header("Idempotency-Key", format!("soak-report-{i:05}"))
                    .header("X-Device-Id", format!("soak-device-{i:010}"))
                    .header(
                        "X-Forwarded-For",
                        format!("10.3.{}.{}", i / 200, i % 200 + 1),
                    )
                    .json(&json!({"kind": "other", "text": format!("soak-report-{i}")}))
                    .send()
                    .await
                    .ok()?
            }
            Write::Status(s, n) => {
                // As a manager's phone retries a save: the same key, and the version it read
                // before its first try (a retry of a save that went through gets its answer).
                let station = &self.stations[s];
                let known = self.versions.lock().expect("lock").get(&(s, n)).copied();
                let version = match known {
                    Some(v) => v,
                    None => {
                        let current: Value = self
                            .client
                            .get(format!("{}/api/v1/stations/{station}", self.base))
                            .send()
                            .await
                            .ok()?
                            .json()
                            .await
                            .ok()?;
                        let v = current["version"].as_u64()?;
                        self.versions.lock().expect("lock").insert((s, n), v);
                        v
                    }
                };
                self.client
                    .patch(format!("{}/api/v1/stations/{station}/status", self.base))
                    .header("Cookie", &self.cookie)
                    .header("X-CSRF-Token", &self.csrf)
                    .header("If-Match", format!("\"{version}\""))
                    .header("Idempotency-Key", format!("soak-status-{s:03}-{n:03}"))
                    .json(&json!({"state": "open", "notice": format!("soak-status-{s}-{n}"), "amenities": []}))
                    .send()
                    .await
                    .ok()?
            }
        };
        match res.status().as_u16() {
            200 | 201 => Some(true),
            s if s >= 500 => None,
            s => panic!("{w:?} answered {s}"),
        }
    }

    /// Sends until the write is known stored.
    async fn send(&self, w: Write) {
        let mut tries = 0;
        loop {
            tries += 1;
            if self.attempt(w).await == Some(true) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20 * tries.min(25))).await;
        }
        if tries == 1 {
            self.first_try.fetch_add(1, Ordering::Relaxed);
        } else {
            self.retried.fetch_add(1, Ordering::Relaxed);
        }
    }
}

async fn count(db: &sqlx::SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db).await.expect(sql)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "minutes long: run with `make soak`"]
async fn soak_writes_survive_sigkill_exactly_once() {
    let dir = tempfile::tempdir().expect("dir");
    drop(crate::helpers::settings_in(dir.path()));
    let port = crate::helpers::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let mut server = start_server_with(dir.path(), port, SEED);
    until_ready(&client, &base, &mut server).await;
    let list: Value = client
        .get(format!(
            "{base}/api/v1/stations?union=bj-chaoyang&limit={STATUS_STATIONS}"
        ))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let stations: Vec<String> = list["stations"]
        .as_array()
        .expect("stations")
        .iter()
        .map(|s| s["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(stations.len(), STATUS_STATIONS);
    let res = client
        .post(format!("{base}/api/v1/session"))
        .json(&json!({"username": DEMO_ADMIN.0, "password": DEMO_ADMIN.1}))
        .send()
        .await
        .expect("sign in");
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_owned();
    let csrf = res.json::<Value>().await.expect("json")["csrf_token"]
        .as_str()
        .expect("csrf")
        .to_owned();
    let soak = Arc::new(Soak {
        base: base.clone(),
        client: client.clone(),
        stations,
        cookie,
        csrf,
        first_try: AtomicUsize::new(0),
        versions: Default::default(),
        retried: AtomicUsize::new(0),
        attempts: AtomicUsize::new(0),
    });

    // 64 clients: applications and reports shared out; each station's saves kept by one client,
    // in order (one manager's phone per station).
    let mut queues: Vec<Vec<Write>> = vec![Vec::new(); CLIENTS];
    for i in 0..PER_KIND {
        queues[i % CLIENTS].push(Write::Application(i));
        queues[(i + 7) % CLIENTS].push(Write::Report(i));
        let s = i % STATUS_STATIONS;
        queues[s % CLIENTS].push(Write::Status(s, i / STATUS_STATIONS));
    }
    let done = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let clients: Vec<_> = queues
        .into_iter()
        .map(|q| {
            let soak = soak.clone();
            tokio::spawn(async move {
                for w in q {
                    soak.send(w).await;
                }
            })
        })
        .collect();

    // The killer: SIGKILL at random moments, restart at once on the same port and file.
    let killer = {
        let (done, client, base, dir) = (
            done.clone(),
            client.clone(),
            base.clone(),
            dir.path().to_owned(),
        );
        tokio::spawn(async move {
            let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
            let mut kills = 0;
            while !done.load(Ordering::SeqCst) && kills < MAX_KILLS && started.elapsed() < MAX_TIME
            {
                tokio::time::sleep(Duration::from_millis(150 + rng.next() % 700)).await;
                if done.load(Ordering::SeqCst) {
                    break;
                }
                server.kill().expect("SIGKILL");
                let _ = server.wait();
                kills += 1;
                server = start_server_with(&dir, port, SEED);
                until_ready(&client, &base, &mut server).await;
            }
            (server, kills)
        })
    };
    for c in clients {
        c.await.expect("client");
    }
    done.store(true, Ordering::SeqCst);
    let (mut server, kills) = killer.await.expect("killer");
    let _ = server.kill();
    let _ = server.wait();

    // Every write exactly once
    let db = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        dir.path().join("db.sqlite").display()
    ))
    .await
    .expect("db");
    let apps = count(
        &db,
        "SELECT COUNT(*) FROM applications WHERE idempotency_key LIKE 'soak-application-%'",
    )
    .await;
    let distinct_apps = count(&db, "SELECT COUNT(DISTINCT phone) FROM applications WHERE idempotency_key LIKE 'soak-application-%'").await;
    let reports = count(
        &db,
        "SELECT COUNT(*) FROM reports WHERE idempotency_key LIKE 'soak-report-%'",
    )
    .await;
    let distinct_reports = count(
        &db,
        "SELECT COUNT(DISTINCT text) FROM reports WHERE text LIKE 'soak-report-%'",
    )
    .await;
    let statuses = count(&db, "SELECT COUNT(*) FROM audit_log WHERE action = 'station.status' AND after LIKE '%soak-status-%'").await;
    let mut notices: Vec<String> = sqlx::query_scalar(
        "SELECT after FROM audit_log WHERE action = 'station.status' AND after LIKE '%soak-status-%'",
    )
    .fetch_all(&db)
    .await
    .expect("audit");
    notices.iter_mut().for_each(|a| {
        let v: Value = serde_json::from_str(a).expect("json");
        *a = v["notice"].as_str().unwrap_or_default().to_owned();
    });
    notices.sort();
    notices.dedup();
    db.close().await;

    let total = 3 * PER_KIND;
    println!(
        "soak: {total} writes from {CLIENTS} clients, {kills} SIGKILLs in {:.0?}; {} attempts; \
         {} answered first time, {} after retries\n\
         applications {apps} stored ({distinct_apps} distinct) of {PER_KIND}; \
         reports {reports} ({distinct_reports} distinct) of {PER_KIND}; \
         status saves {statuses} ({} distinct) of {PER_KIND}",
        started.elapsed(),
        soak.attempts.load(Ordering::Relaxed),
        soak.first_try.load(Ordering::Relaxed),
        soak.retried.load(Ordering::Relaxed),
        notices.len(),
    );
    assert!(
        kills >= 3,
        "the soak must kill the server a few times (only {kills})"
    );
    let n = i64::try_from(PER_KIND).expect("n");
    assert_eq!((apps, distinct_apps), (n, n));
    assert_eq!((reports, distinct_reports), (n, n));
    assert_eq!((statuses, i64::try_from(notices.len()).expect("n")), (n, n));
}
