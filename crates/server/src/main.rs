//! `yizhan-server`: serve (default), make the first admin, back up and restore, or write demo
//! stations for benchmarks. `yizhan-server --help` lists the commands.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use tracing_subscriber::EnvFilter;
use yizhan_core::Timestamp;
use yizhan_server::config::Settings;
use yizhan_server::startup::Server;

/// `yizhan-server`: settings come from `YIZHAN_*` environment variables (README).
#[derive(Debug, Parser)]
#[command(name = "yizhan-server", version, about, long_about = None)]
struct Cli {
    /// What to do; serving is the default.
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the app and the API (the default).
    Serve,
    /// Make a deployment's first admin (and their union, if new) in YIZHAN_DATABASE_URL.
    CreateAdmin {
        /// The union's id, e.g. bj-chaoyang.
        #[arg(long)]
        union: String,
        /// The union's name, when it is new.
        #[arg(long)]
        union_name: Option<String>,
        /// The admin's sign-in name.
        #[arg(long)]
        username: String,
        /// The admin's display name (default: the username).
        #[arg(long)]
        name: Option<String>,
        /// The password; when unset, one is made and printed once. From the environment only,
        /// so it never shows in the process list or shell history.
        #[arg(skip = std::env::var("YIZHAN_ADMIN_PASSWORD").ok())]
        password: Option<String>,
    },
    /// A consistent copy of the SQLite database, taken while it serves.
    Backup {
        /// The new file to write (never overwritten).
        #[arg(long)]
        out: PathBuf,
    },
    /// A backup onto the new, empty database YIZHAN_DATABASE_URL names: a SQLite file, or
    /// PostgreSQL (every row copied: moving a deployment onto a fleet's database).
    Restore {
        /// The backup file.
        file: PathBuf,
    },
    /// Delete the demo accounts (their passwords are published) so the deployment can face
    /// the internet.
    RemoveDemoAccounts,
    /// Write generated demo stations as JSON (for benchmarks).
    Demo {
        /// How many stations.
        #[arg(long, default_value_t = 2000)]
        stations: usize,
        /// Where they are.
        #[arg(long, value_enum, default_value_t = Area::China)]
        area: Area,
        /// The file to write (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// Where demo stations are generated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Area {
    /// Across China's big cities.
    China,
    /// Beijing's 16 districts only (dense).
    Beijing,
}

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
    let cli = Cli::parse();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve().await,
        Command::CreateAdmin {
            union,
            union_name,
            username,
            name,
            password,
        } => {
            create_admin(NewAdminArgs {
                union,
                union_name,
                username,
                name,
                password,
            })
            .await
        }
        Command::Backup { out } => backup(&out).await,
        Command::Restore { file } => restore(&file).await,
        Command::RemoveDemoAccounts => remove_demo_accounts().await,
        Command::Demo {
            stations,
            area,
            out,
        } => demo(stations, area, out.as_deref()),
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

/// What `create-admin` was given.
struct NewAdminArgs {
    union: String,
    union_name: Option<String>,
    username: String,
    name: Option<String>,
    password: Option<String>,
}

/// `create-admin`: the first admin of a deployment, in the database `YIZHAN_DATABASE_URL` names.
async fn create_admin(a: NewAdminArgs) -> Result<(), String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    let db = yizhan_server::db::Db::connect(&settings.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let generated = a.password.is_none();
    let password = yizhan_server::bootstrap::create_admin(
        &db,
        yizhan_server::bootstrap::NewAdmin {
            union_id: &a.union,
            union_name: a.union_name.as_deref(),
            username: &a.username,
            display_name: a.name.as_deref().unwrap_or(&a.username),
            password: a.password,
        },
    )
    .await
    .map_err(|e| e.to_string());
    db.close().await;
    let password = password?;
    println!(
        "admin {} created for union {}; sign in at /admin",
        a.username, a.union
    );
    if generated {
        println!("password (shown once): {password}");
    }
    Ok(())
}

/// `backup --out FILE`: a consistent copy of the database `YIZHAN_DATABASE_URL` names.
async fn backup(out: &Path) -> Result<(), String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    let db = yizhan_server::db::Db::connect(&settings.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let done = yizhan_server::backup::backup(&db, out)
        .await
        .map_err(|e| e.to_string());
    db.close().await;
    done?;
    println!("backed up to {}", out.display());
    Ok(())
}

/// `restore FILE`: the backup becomes the (new, empty) database `YIZHAN_DATABASE_URL` names.
async fn restore(from: &Path) -> Result<(), String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    yizhan_server::backup::restore(from, &settings.database_url)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "restored {} to {}",
        from.display(),
        yizhan_server::db::shown_url(&settings.database_url)
    );
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
fn demo(n: usize, area: Area, out: Option<&Path>) -> Result<(), String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    let expiry = i64::try_from(settings.status_expiry.as_secs()).unwrap_or(i64::MAX);
    let data = if area == Area::China {
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
        Some(path) => std::fs::write(path, json).map_err(|e| format!("{}: {e}", path.display())),
        None => {
            println!("{json}");
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn no_command_serves_and_each_command_takes_its_arguments() {
        let parse = |args: &[&str]| {
            Cli::try_parse_from(std::iter::once("yizhan-server").chain(args.iter().copied()))
        };
        assert!(parse(&[]).expect("serve").command.is_none());
        assert!(matches!(
            parse(&["backup", "--out", "b.db"]).expect("backup").command,
            Some(Command::Backup { out }) if out == Path::new("b.db")
        ));
        assert!(matches!(
            parse(&["demo", "--stations", "5", "--area", "beijing"])
                .expect("demo")
                .command,
            Some(Command::Demo {
                stations: 5,
                area: Area::Beijing,
                out: None
            })
        ));
        assert!(matches!(
            parse(&["create-admin", "--union", "bj", "--username", "li"]).expect("admin").command,
            Some(Command::CreateAdmin { union, username, .. }) if union == "bj" && username == "li"
        ));
        // A missing value, an unknown command or area, and a password on the command line are
        // refused with clap's message (and its exit status).
        for bad in [
            &["backup"][..],
            &["frobnicate"],
            &["demo", "--area", "mars"],
            &[
                "create-admin",
                "--union",
                "bj",
                "--username",
                "li",
                "--password",
                "x",
            ],
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
