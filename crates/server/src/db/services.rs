//! Unions' services cards (帮帮卡): each union's own items, read for a chain of unions and
//! replaced whole by its admins.

use std::collections::HashMap;

use yizhan_core::{ServiceItem, Timestamp, UnionId};

use super::staff::{audit, AuditRecord};
use super::{corrupt, marks, Db, DbError};

/// A card item as stored.
#[derive(sqlx::FromRow)]
struct ServiceRecord {
    union_id: String,
    title: String,
    line: String,
    contact: String,
}

impl Db {
    /// The items of each of `unions` that has any, in order.
    pub async fn union_services(
        &self,
        unions: &[UnionId],
    ) -> Result<HashMap<UnionId, Vec<ServiceItem>>, DbError> {
        let mut out: HashMap<UnionId, Vec<ServiceItem>> = HashMap::new();
        if unions.is_empty() {
            return Ok(out);
        }
        let sql = format!(
            "SELECT union_id, title, line, contact FROM union_services \
             WHERE union_id IN ({}) ORDER BY union_id, position",
            marks(1, unions.len())
        );
        let mut q = sqlx::query_as::<_, ServiceRecord>(&sql);
        for u in unions {
            q = q.bind(u.as_str());
        }
        for r in q.fetch_all(&self.pool).await? {
            let union = UnionId::parse(&r.union_id)
                .map_err(|e| corrupt("union_services", &r.union_id, e))?;
            out.entry(union).or_default().push(ServiceItem {
                title: r.title,
                line: r.line,
                contact: r.contact,
            });
        }
        Ok(out)
    }

    /// Replaces the items of `union` with `items` (already validated), and logs it, in one
    /// transaction.
    pub async fn set_union_services(
        &self,
        union: &UnionId,
        items: &[ServiceItem],
        now: Timestamp,
        rec: &AuditRecord,
    ) -> Result<(), DbError> {
        let mut tx = self.write_tx().await?;
        sqlx::query("DELETE FROM union_services WHERE union_id = $1")
            .bind(union.as_str())
            .execute(&mut *tx)
            .await?;
        for (i, item) in items.iter().enumerate() {
            sqlx::query(
                "INSERT INTO union_services (union_id, position, title, line, contact) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(union.as_str())
            .bind(i64::try_from(i).unwrap_or(i64::MAX))
            .bind(&item.title)
            .bind(&item.line)
            .bind(&item.contact)
            .execute(&mut *tx)
            .await?;
        }
        audit(&mut tx, rec, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
