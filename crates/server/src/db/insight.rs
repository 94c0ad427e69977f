//! The numbers of a union's report for a period, counted in SQL over the unions in scope (with
//! the indexes on stations by union, applications by union and time, and visits by station and
//! hour), never by reading rows into the server.

use yizhan_core::{Period, UnionId, UnionNumbers};

use super::{marks, Db, DbError};

/// One count, for the SQL that counts it: over stations (`s`) of the unions in scope, or over
/// applications of those unions.
#[derive(Clone, Copy)]
enum Count {
    Stations,
    Stations24h,
    Visits,
    Confirmations,
    Reports,
    ReportsResolved,
    Applications,
    Approvals,
}

impl Count {
    /// Whether the count is over the period (else as of now).
    fn over_period(self) -> bool {
        !matches!(self, Count::Stations | Count::Stations24h)
    }

    /// The query; `$1..$n` are the unions, `$n+1` and `$n+2` the period's start and end.
    fn sql(self, n: usize) -> String {
        let unions = marks(1, n);
        let (start, end) = (format!("${}", n + 1), format!("${}", n + 2));
        let stations =
            format!("JOIN stations s ON s.id = x.station_id WHERE s.union_id IN ({unions})");
        match self {
            // Stations are counted as they are today.
            Count::Stations => format!(
                "SELECT COUNT(*) FROM stations s WHERE s.union_id IN ({unions}) AND NOT s.hidden"
            ),
            Count::Stations24h => format!(
                "SELECT COUNT(*) FROM stations s WHERE s.union_id IN ({unions}) AND NOT s.hidden \
                 AND s.hours = '24/7'"
            ),
            Count::Visits => format!(
                "SELECT CAST(COALESCE(SUM(x.count), 0) AS BIGINT) FROM visits x {stations} \
                 AND x.hour >= {start} AND x.hour < {end}"
            ),
            Count::Confirmations => format!(
                "SELECT COUNT(*) FROM reports x {stations} AND x.kind = 'confirm' \
                 AND x.created_at >= {start} AND x.created_at < {end}"
            ),
            Count::Reports => format!(
                "SELECT COUNT(*) FROM reports x {stations} AND x.kind <> 'confirm' \
                 AND x.created_at >= {start} AND x.created_at < {end}"
            ),
            Count::ReportsResolved => format!(
                "SELECT COUNT(*) FROM reports x {stations} AND x.kind <> 'confirm' \
                 AND x.resolved_at >= {start} AND x.resolved_at < {end}"
            ),
            Count::Applications => format!(
                "SELECT COUNT(*) FROM applications a WHERE a.union_id IN ({unions}) \
                 AND a.created_at >= {start} AND a.created_at < {end}"
            ),
            Count::Approvals => format!(
                "SELECT COUNT(*) FROM applications a WHERE a.union_id IN ({unions}) \
                 AND a.status = 'approved' AND a.decided_at >= {start} AND a.decided_at < {end}"
            ),
        }
    }
}

impl Db {
    /// The report's numbers for `unions` over `period`.
    pub async fn union_numbers(
        &self,
        unions: &[UnionId],
        period: Period,
    ) -> Result<UnionNumbers, DbError> {
        let mut numbers = UnionNumbers {
            from: period.from_date(),
            to: period.to_date(),
            ..UnionNumbers::default()
        };
        if unions.is_empty() {
            return Ok(numbers);
        }
        for (count, into) in [
            (Count::Stations, &mut numbers.stations),
            (Count::Stations24h, &mut numbers.stations_24h),
            (Count::Visits, &mut numbers.visits),
            (Count::Confirmations, &mut numbers.confirmations),
            (Count::Reports, &mut numbers.reports),
            (Count::ReportsResolved, &mut numbers.reports_resolved),
            (Count::Applications, &mut numbers.applications),
            (Count::Approvals, &mut numbers.approvals),
        ] {
            let sql = count.sql(unions.len());
            let mut q = sqlx::query_scalar::<_, i64>(&sql);
            for u in unions {
                q = q.bind(u.as_str());
            }
            if count.over_period() {
                q = q.bind(period.start.unix()).bind(period.end.unix());
            }
            let n = q.fetch_one(&self.pool).await?;
            *into = u64::try_from(n).unwrap_or(0);
        }
        Ok(numbers)
    }
}
