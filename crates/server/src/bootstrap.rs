//! Accounts made outside the web pages: the first admin of a deployment (`yizhan-server
//! create-admin`), and the demo admin and manager seeded beside the demo stations.

use yizhan_core::staff::check_password;
use yizhan_core::{Role, StationId, Timestamp, UnionId, Username};

use crate::auth;
use crate::db::{AccountRow, AuditRecord, Db};
use crate::error::AppError;

/// The demo admin (朝阳区总工会) and its password, printed at seeding and in README.
pub const DEMO_ADMIN: (&str, &str) = ("chaoyang-admin", "yizhan-demo-admin");
/// The demo station manager and its password.
pub const DEMO_MANAGER: (&str, &str) = ("wangjing-manager", "yizhan-demo-manager");
/// The union the demo admin runs.
pub const DEMO_UNION: &str = "bj-chaoyang";

/// Why an account could not be made.
#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    /// A value given on the command line is not valid.
    #[error("{0}")]
    Invalid(String),
    /// The username belongs to an account already.
    #[error("that username is taken")]
    Taken,
    /// The database or hashing failed.
    #[error("{0}")]
    Failed(String),
}

impl From<AppError> for BootstrapError {
    fn from(e: AppError) -> Self {
        BootstrapError::Failed(e.to_string())
    }
}

impl From<crate::secret::NoRandomness> for BootstrapError {
    fn from(e: crate::secret::NoRandomness) -> Self {
        BootstrapError::Failed(e.to_string())
    }
}

impl From<crate::db::DbError> for BootstrapError {
    fn from(e: crate::db::DbError) -> Self {
        if e.is_unique_violation() {
            BootstrapError::Taken
        } else {
            BootstrapError::Failed(e.to_string())
        }
    }
}

/// What to create.
#[derive(Clone, Debug)]
pub struct NewAdmin<'a> {
    /// The union the admin runs (and every union below it).
    pub union_id: &'a str,
    /// Its name, when the union does not exist yet (a fresh deployment).
    pub union_name: Option<&'a str>,
    /// Sign-in name.
    pub username: &'a str,
    /// Shown name.
    pub display_name: &'a str,
    /// Password; `None` makes one.
    pub password: Option<String>,
}

/// Creates an admin account and returns the password to hand over.
pub async fn create_admin(db: &Db, a: NewAdmin<'_>) -> Result<String, BootstrapError> {
    let union_id =
        UnionId::parse(a.union_id).map_err(|e| BootstrapError::Invalid(format!("--union: {e}")))?;
    let username = Username::parse(a.username)
        .map_err(|c| BootstrapError::Invalid(format!("--username: {}", c.as_str())))?;
    let unions = db.unions().await?;
    if !unions.iter().any(|u| u.id == union_id) {
        let Some(name) = a.union_name.filter(|n| !n.trim().is_empty()) else {
            return Err(BootstrapError::Invalid(format!(
                "union {union_id} does not exist; add --union-name to create it"
            )));
        };
        db.insert_union(&union_id, name.trim(), None).await?;
    }
    let password = match a.password {
        Some(p) => {
            check_password(&p).map_err(|c| {
                BootstrapError::Invalid(format!(
                    "password: {} (at least {} characters)",
                    c.as_str(),
                    yizhan_core::staff::MIN_PASSWORD_CHARS
                ))
            })?;
            p
        }
        None => auth::generated_password()?,
    };
    insert(
        db,
        &username,
        a.display_name,
        Role::Admin,
        &union_id,
        &password,
        &[],
    )
    .await?;
    Ok(password)
}

async fn insert(
    db: &Db,
    username: &Username,
    display_name: &str,
    role: Role,
    union_id: &UnionId,
    password: &str,
    stations: &[StationId],
) -> Result<(), BootstrapError> {
    // The command line and the start-up seed hash one password at a time.
    let hashers = auth::Hashers::new(1, std::time::Duration::from_secs(60));
    let hash = auth::hash_password(&hashers, password.to_owned()).await?;
    let id = auth::random_token::<12>()?;
    let now = Timestamp::now();
    let rec = AuditRecord {
        union_id: union_id.clone(),
        actor: "system".into(),
        action: "account.create",
        entity: "account",
        entity_id: username.as_str().to_owned(),
        before: None,
        after: serde_json::to_string(&serde_json::json!({
            "username": username, "role": role, "stations": stations,
        }))
        .ok(),
    };
    db.insert_account(
        &AccountRow {
            id: &id,
            username,
            display_name,
            role,
            union_id,
            password_hash: &hash,
            stations,
        },
        now,
        &rec,
    )
    .await?;
    Ok(())
}

/// The demo accounts this database holds (their passwords are published in the README).
pub async fn demo_accounts_present(db: &Db) -> Result<Vec<String>, BootstrapError> {
    Ok(db
        .accounts()
        .await?
        .into_iter()
        .map(|a| a.username.as_str().to_owned())
        .filter(|u| u == DEMO_ADMIN.0 || u == DEMO_MANAGER.0)
        .collect())
}

/// Deletes the demo accounts (and so their sessions and station assignments), each with an
/// audit entry; returns the usernames removed.
pub async fn remove_demo_accounts(db: &Db) -> Result<Vec<String>, BootstrapError> {
    let mut removed = Vec::new();
    for account in db.accounts().await? {
        let name = account.username.as_str();
        if name != DEMO_ADMIN.0 && name != DEMO_MANAGER.0 {
            continue;
        }
        let rec = AuditRecord {
            union_id: account.union.id.clone(),
            actor: "system".into(),
            action: "account.delete",
            entity: "account",
            entity_id: name.to_owned(),
            before: serde_json::to_string(&serde_json::json!({
                "username": account.username, "role": account.role, "stations": account.stations,
            }))
            .ok(),
            after: None,
        };
        db.delete_account(&account.id, &rec, Timestamp::now())
            .await?;
        removed.push(name.to_owned());
    }
    Ok(removed)
}

/// Seeds the demo admin of 朝阳区总工会 and a manager of its first two stations, when the
/// database has no accounts yet. Logs the credentials: demo data only.
pub async fn seed_demo_accounts(db: &Db) -> Result<(), BootstrapError> {
    if !db.accounts().await?.is_empty() {
        return Ok(());
    }
    let unions = db.unions().await?;
    let Some(root) = unions
        .iter()
        .find(|u| u.id.as_str() == DEMO_UNION)
        .or_else(|| unions.first())
    else {
        return Ok(());
    };
    // The first two stations by id of the union and the unions below it: those are among the
    // first two of their own union, so two per union are read, never every station.
    let mut stations: Vec<StationId> = Vec::new();
    for union in auth::union_scope(&unions, &root.id) {
        let first = db
            .stations_page(std::slice::from_ref(&union), "", 2)
            .await?;
        stations.extend(first.into_iter().map(|s| s.station.id));
    }
    stations.sort();
    stations.truncate(2);
    let admin =
        Username::parse(DEMO_ADMIN.0).map_err(|c| BootstrapError::Invalid(c.as_str().into()))?;
    let manager =
        Username::parse(DEMO_MANAGER.0).map_err(|c| BootstrapError::Invalid(c.as_str().into()))?;
    let seeded = async {
        insert(
            db,
            &admin,
            "朝阳区工会管理员",
            Role::Admin,
            &root.id,
            DEMO_ADMIN.1,
            &[],
        )
        .await?;
        insert(
            db,
            &manager,
            "望京站长",
            Role::Manager,
            &root.id,
            DEMO_MANAGER.1,
            &stations,
        )
        .await
    };
    match seeded.await {
        // Another instance starting at the same moment seeded them first.
        Err(BootstrapError::Taken) => return Ok(()),
        other => other?,
    }
    tracing::info!(
        admin = DEMO_ADMIN.0,
        admin_password = DEMO_ADMIN.1,
        manager = DEMO_MANAGER.0,
        manager_password = DEMO_MANAGER.1,
        stations = ?stations.iter().map(StationId::as_str).collect::<Vec<_>>(),
        "demo accounts: sign in at /admin and /manage"
    );
    Ok(())
}
