//! `yizhan-server`: serve (default), or write demo stations for benchmarks.

use std::process::ExitCode;

use tracing_subscriber::EnvFilter;
use yizhan_core::Timestamp;
use yizhan_server::config::Settings;
use yizhan_server::startup::Server;

const USAGE: &str = "usage: yizhan-server [serve]
       yizhan-server create-admin --union ID [--union-name NAME] --username NAME [--name DISPLAY]
                                  (password from YIZHAN_ADMIN_PASSWORD, else one is made and printed)
       yizhan-server backup --out FILE
                                  (a consistent copy of the database, taken while it serves)
       yizhan-server restore FILE
                                  (onto the new, empty database YIZHAN_DATABASE_URL names)
       yizhan-server remove-demo-accounts
                                  (deletes chaoyang-admin and wangjing-manager, whose passwords are published)
       yizhan-server demo --stations N [--area china|beijing] [--out FILE]";

/// jemalloc rather than glibc's malloc. Loading 100,000 stations reads 600,000 rows, whose
/// values SQLite allocates in its worker thread and the loader frees in another; glibc kept
/// that memory in its per-thread arenas (680 MB resident at 100,000 stations, of which the
/// index is about 90 MB). jemalloc also serves C's malloc here, and its background thread
/// returns freed pages to the system within seconds.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    // `YIZHAN_LOG_FORMAT=json`: one JSON object a line, with the request's span (and its
    // `request_id`) on every line, for a log collector.
    match std::env::var("YIZHAN_LOG_FORMAT").as_deref() {
        Ok("json") => tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_env_filter(filter)
            .init(),
        Ok("" | "text") | Err(_) => tracing_subscriber::fmt().with_env_filter(filter).init(),
        Ok(other) => {
            eprintln!("YIZHAN_LOG_FORMAT: expected json or text, not {other}");
            return ExitCode::FAILURE;
        }
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => serve().await,
        Some("demo") => demo(&args[1..]),
        Some("create-admin") => create_admin(&args[1..]).await,
        Some("remove-demo-accounts") if args.len() == 1 => remove_demo_accounts().await,
        Some("backup") if args.len() == 3 && args[1] == "--out" => backup(&args[2]).await,
        Some("restore") if args.len() == 2 => restore(&args[1]).await,
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve() -> Result<(), String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    let server = Server::build(settings).await.map_err(|e| e.to_string())?;
    let addr = server.local_addr().map_err(|e| e.to_string())?;
    tracing::info!("Yizhan serving on http://{addr}");
    server
        .run_until(stop_signal())
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!("stopped");
    Ok(())
}

/// Ctrl-C, or SIGTERM (what systemd, Kubernetes and `kill` send to stop a service).
async fn stop_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}

/// `create-admin --union ID [--union-name NAME] --username NAME [--name DISPLAY]`: the first
/// admin of a deployment, in the database `YIZHAN_DATABASE_URL` names.
async fn create_admin(args: &[String]) -> Result<(), String> {
    let (mut union, mut union_name, mut username, mut name) = (None, None, None, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let value = it.next().ok_or(USAGE)?.clone();
        match a.as_str() {
            "--union" => union = Some(value),
            "--union-name" => union_name = Some(value),
            "--username" => username = Some(value),
            "--name" => name = Some(value),
            _ => return Err(USAGE.to_owned()),
        }
    }
    let (Some(union), Some(username)) = (union, username) else {
        return Err(USAGE.to_owned());
    };
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    let db = yizhan_server::db::Db::connect(&settings.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let given = std::env::var("YIZHAN_ADMIN_PASSWORD").ok();
    let generated = given.is_none();
    let password = yizhan_server::bootstrap::create_admin(
        &db,
        yizhan_server::bootstrap::NewAdmin {
            union_id: &union,
            union_name: union_name.as_deref(),
            username: &username,
            display_name: name.as_deref().unwrap_or(&username),
            password: given,
        },
    )
    .await
    .map_err(|e| e.to_string());
    db.close().await;
    let password = password?;
    println!("admin {username} created for union {union}; sign in at /admin");
    if generated {
        println!("password (shown once): {password}");
    }
    Ok(())
}

/// `backup --out FILE`: a consistent copy of the database `YIZHAN_DATABASE_URL` names.
async fn backup(out: &str) -> Result<(), String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    let db = yizhan_server::db::Db::connect(&settings.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let done = yizhan_server::backup::backup(&db, std::path::Path::new(out))
        .await
        .map_err(|e| e.to_string());
    db.close().await;
    done?;
    println!("backed up to {out}");
    Ok(())
}

/// `restore FILE`: the backup becomes the (new, empty) database `YIZHAN_DATABASE_URL` names.
async fn restore(from: &str) -> Result<(), String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    yizhan_server::backup::restore(std::path::Path::new(from), &settings.database_url)
        .await
        .map_err(|e| e.to_string())?;
    println!("restored {from} to {}", settings.database_url);
    Ok(())
}

/// `remove-demo-accounts`: deletes the demo accounts from the database `YIZHAN_DATABASE_URL`
/// names, so a deployment that began as a demo can face the internet.
async fn remove_demo_accounts() -> Result<(), String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    let db = yizhan_server::db::Db::connect(&settings.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let removed = yizhan_server::bootstrap::remove_demo_accounts(&db)
        .await
        .map_err(|e| e.to_string());
    db.close().await;
    let removed = removed?;
    if removed.is_empty() {
        println!("no demo accounts in this database");
    } else {
        println!("removed demo accounts: {}", removed.join(", "));
    }
    Ok(())
}

/// `demo --stations N [--area china|beijing] [--out FILE]`: the generator's stations as JSON
/// (across China by default, for benchmarks).
fn demo(args: &[String]) -> Result<(), String> {
    let mut n = 2000;
    let mut nationwide = true;
    let mut out = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--stations" => n = it.next().and_then(|v| v.parse().ok()).ok_or(USAGE)?,
            "--area" => {
                nationwide = match it.next().map(String::as_str) {
                    Some("china") => true,
                    Some("beijing") => false,
                    _ => return Err(USAGE.to_owned()),
                }
            }
            "--out" => out = Some(it.next().ok_or(USAGE)?.clone()),
            _ => return Err(USAGE.to_owned()),
        }
    }
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    let expiry = i64::try_from(settings.status_expiry.as_secs()).unwrap_or(i64::MAX);
    let data = if nationwide {
        yizhan_server::demo::nationwide(n, Timestamp::now(), expiry)
    } else {
        yizhan_server::demo::beijing(n, Timestamp::now(), expiry)
    };
    let list = yizhan_core::StationList {
        total: data.stations.len(),
        stations: data.stations,
        next: None,
        clusters: Vec::new(),
        bounds: None,
    };
    let json = serde_json::to_string(&list).map_err(|e| e.to_string())?;
    match out {
        Some(path) => std::fs::write(&path, json).map_err(|e| format!("{path}: {e}")),
        None => {
            println!("{json}");
            Ok(())
        }
    }
}
