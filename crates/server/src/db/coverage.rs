//! The coverage dashboard, counted in SQL: each station's state (the rule of
//! [`yizhan_core::CoverageState::of`], written as a `CASE`), stations per state and district, the
//! table of a filter, the map's stations gathered into grid cells, and figures week by week.
//! Open fault reports come from the partial index `reports_open`; week figures from the indexes
//! on reports' and applications' times and visits' hours. Nothing reads every station into the
//! server.

use yizhan_core::coverage::week_index;
use yizhan_core::{
    CoverageCounts, CoverageFilter, CoverageRow, CoverageState, StationId, Timestamp, UnionId,
    WeekFigures,
};

use super::{corrupt, marks, Db, DbError};

const WEEK_SECONDS: i64 = 7 * 86_400;

/// A parameter of a query built here.
#[derive(Clone, Debug)]
enum Arg {
    Text(String),
    Int(i64),
    Real(f64),
}

/// SQL text and its parameters, numbered as they are added.
#[derive(Default)]
struct Sql {
    args: Vec<Arg>,
}

impl Sql {
    /// Adds a parameter and answers its placeholder.
    fn arg(&mut self, a: Arg) -> String {
        self.args.push(a);
        format!("${}", self.args.len())
    }

    /// `IN (…)` placeholders for the unions (never empty: callers return early without unions).
    fn unions(&mut self, unions: &[UnionId]) -> String {
        let first = self.args.len() + 1;
        self.args
            .extend(unions.iter().map(|u| Arg::Text(u.as_str().to_owned())));
        marks(first, unions.len())
    }

    fn bind<'q, O>(
        &self,
        mut q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
        for a in &self.args {
            q = match a {
                Arg::Text(t) => q.bind(t.clone()),
                Arg::Int(i) => q.bind(*i),
                Arg::Real(r) => q.bind(*r),
            };
        }
        q
    }
}

/// The stations of `unions` riders can find (`s`), with their open fault reports (`f.n`) and
/// their dashboard state (`state`) at `now`; `district` narrows them.
fn stations_with_state(
    sql: &mut Sql,
    unions: &[UnionId],
    now: Timestamp,
    district: Option<&str>,
) -> String {
    let unions = sql.unions(unions);
    let now = sql.arg(Arg::Int(now.unix()));
    let district = district.map_or(String::new(), |d| {
        format!("AND s.district = {}", sql.arg(Arg::Text(d.to_owned())))
    });
    // Mirrors CoverageState::of: faults, then closed and fresh while fresh, else stale.
    format!(
        "SELECT s.id, s.district, s.union_id, s.lat, s.lng, s.confirmed_at, \
         CAST(COALESCE(f.n, 0) AS BIGINT) AS open_reports, \
         CASE WHEN COALESCE(f.n, 0) > 0 THEN 'faults' \
              WHEN s.confirmed_at IS NOT NULL AND s.expires_at > {now} \
                   AND s.status_state = 'closed' THEN 'closed' \
              WHEN s.confirmed_at IS NOT NULL AND s.expires_at > {now} \
                   AND s.status_state = 'open' THEN 'fresh' \
              ELSE 'stale' END AS state \
         FROM stations s LEFT JOIN (SELECT station_id, COUNT(*) AS n FROM reports \
             WHERE resolved_at IS NULL AND kind <> 'confirm' GROUP BY station_id) f \
             ON f.station_id = s.id \
         WHERE s.union_id IN ({unions}) AND NOT s.hidden {district}"
    )
}

/// [`stations_with_state`] narrowed to `filter`'s district and state.
fn matching(sql: &mut Sql, unions: &[UnionId], filter: &CoverageFilter, now: Timestamp) -> String {
    let inner = stations_with_state(sql, unions, now, filter.district.as_deref());
    match filter.state {
        None => inner,
        Some(s) => format!(
            "SELECT * FROM ({inner}) m WHERE m.state = {}",
            sql.arg(Arg::Text(s.as_str().to_owned()))
        ),
    }
}

/// A state code the SQL above wrote.
fn state_of(code: &str) -> Result<CoverageState, DbError> {
    CoverageState::parse(code).ok_or_else(|| corrupt("stations", "coverage", code))
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// A row of the coverage table as read.
#[derive(sqlx::FromRow)]
struct RowRecord {
    id: String,
    name: String,
    district: String,
    union_name: String,
    state: String,
    confirmed_at: Option<i64>,
    open_reports: i64,
}

impl RowRecord {
    fn into_row(self) -> Result<CoverageRow, DbError> {
        Ok(CoverageRow {
            id: StationId::parse(&self.id).map_err(|e| corrupt("stations", &self.id, e))?,
            state: state_of(&self.state)?,
            confirmed_at: self.confirmed_at.map(Timestamp::from_unix),
            open_reports: count(self.open_reports),
            name: self.name,
            district: self.district,
            union_name: self.union_name,
        })
    }
}

/// Where the coverage map draws: the stations' bounds, and the grid its dots snap to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapGrid {
    /// Westmost longitude.
    pub west: f64,
    /// Northmost latitude.
    pub north: f64,
    /// Grid cells per degree of longitude.
    pub per_lng: f64,
    /// Grid cells per degree of latitude.
    pub per_lat: f64,
}

/// Stations of one state in one grid cell of the map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapCell {
    /// Cell column from the west.
    pub x: i64,
    /// Cell row from the north.
    pub y: i64,
    /// Their state.
    pub state: CoverageState,
    /// How many.
    pub stations: u64,
}

/// What a week's figure counts, for the SQL that counts it.
#[derive(Clone, Copy)]
enum Figure {
    Applications,
    Approvals,
    Reports,
    Resolved,
    Visits,
    Confirmations,
}

impl Figure {
    const ALL: [Figure; 6] = [
        Figure::Applications,
        Figure::Approvals,
        Figure::Reports,
        Figure::Resolved,
        Figure::Visits,
        Figure::Confirmations,
    ];

    /// The table (aliased `x`, with its station `s`), its time column, what is summed, and the
    /// condition on its rows.
    fn parts(self) -> (&'static str, &'static str, &'static str, &'static str) {
        const REPORTS: &str = "reports x JOIN stations s ON s.id = x.station_id";
        const APPLICATIONS: &str = "applications x LEFT JOIN stations s ON s.id = x.station_id";
        match self {
            Figure::Applications => (APPLICATIONS, "x.created_at", "COUNT(*)", "1 = 1"),
            Figure::Approvals => (
                APPLICATIONS,
                "x.decided_at",
                "COUNT(*)",
                "x.status = 'approved'",
            ),
            Figure::Reports => (REPORTS, "x.created_at", "COUNT(*)", "x.kind <> 'confirm'"),
            Figure::Resolved => (REPORTS, "x.resolved_at", "COUNT(*)", "x.kind <> 'confirm'"),
            Figure::Confirmations => (REPORTS, "x.created_at", "COUNT(*)", "x.kind = 'confirm'"),
            Figure::Visits => (
                "visits x JOIN stations s ON s.id = x.station_id",
                "x.hour",
                "CAST(COALESCE(SUM(x.count), 0) AS BIGINT)",
                "1 = 1",
            ),
        }
    }

    fn into(self, w: &mut WeekFigures) -> &mut u64 {
        match self {
            Figure::Applications => &mut w.applications,
            Figure::Approvals => &mut w.approvals,
            Figure::Reports => &mut w.reports,
            Figure::Resolved => &mut w.resolved,
            Figure::Visits => &mut w.visits,
            Figure::Confirmations => &mut w.confirmations,
        }
    }
}

/// Which rows week figures count: the unions in scope, narrowed to a district or a station.
#[derive(Clone, Copy, Debug)]
pub struct WeekScope<'a> {
    /// The unions in scope.
    pub unions: &'a [UnionId],
    /// Only this district (an application without a station counts by its own district).
    pub district: Option<&'a str>,
    /// Only this station.
    pub station: Option<&'a StationId>,
}

impl WeekScope<'_> {
    /// The WHERE clause over `x` and `s` for the rows between `start` and `end` by `time`, and
    /// the placeholder of `start`.
    fn sql(
        &self,
        sql: &mut Sql,
        figure: Figure,
        time: &str,
        start: i64,
        end: i64,
    ) -> (String, String) {
        let applications = matches!(figure, Figure::Applications | Figure::Approvals);
        let union = if applications {
            "x.union_id"
        } else {
            "s.union_id"
        };
        let unions = sql.unions(self.unions);
        let (start, end) = (sql.arg(Arg::Int(start)), sql.arg(Arg::Int(end)));
        let mut clause = format!("{union} IN ({unions}) AND {time} >= {start} AND {time} < {end}");
        if let Some(d) = self.district {
            let d = sql.arg(Arg::Text(d.to_owned()));
            if applications {
                clause.push_str(&format!(" AND COALESCE(s.district, x.district) = {d}"));
            } else {
                clause.push_str(&format!(" AND s.district = {d}"));
            }
        }
        if let Some(st) = self.station {
            let st = sql.arg(Arg::Text(st.as_str().to_owned()));
            clause.push_str(&format!(" AND x.station_id = {st}"));
        }
        (clause, start)
    }
}

impl Db {
    /// The districts of the stations riders can find in `unions`, sorted.
    pub async fn coverage_districts(&self, unions: &[UnionId]) -> Result<Vec<String>, DbError> {
        if unions.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT DISTINCT district FROM stations WHERE union_id IN ({}) AND NOT hidden \
             ORDER BY district",
            marks(1, unions.len())
        );
        let mut q = sqlx::query_scalar::<_, String>(&sql);
        for u in unions {
            q = q.bind(u.as_str());
        }
        Ok(q.fetch_all(&self.pool).await?)
    }

    /// Whether `station` is one of `unions`' (hidden or not).
    pub async fn station_in(
        &self,
        station: &StationId,
        unions: &[UnionId],
    ) -> Result<bool, DbError> {
        let union: Option<String> =
            sqlx::query_scalar("SELECT union_id FROM stations WHERE id = $1")
                .bind(station.as_str())
                .fetch_optional(&self.pool)
                .await?;
        Ok(union.is_some_and(|u| unions.iter().any(|x| x.as_str() == u)))
    }

    /// Stations per state over `unions` at `now`, and how many of them `filter` matches.
    pub async fn coverage_counts(
        &self,
        unions: &[UnionId],
        filter: &CoverageFilter,
        now: Timestamp,
    ) -> Result<(CoverageCounts, u64), DbError> {
        let (mut counts, mut matching) = (CoverageCounts::default(), 0);
        if unions.is_empty() {
            return Ok((counts, matching));
        }
        let mut sql = Sql::default();
        let inner = stations_with_state(&mut sql, unions, now, None);
        let grouped =
            format!("SELECT c.district, c.state, COUNT(*) FROM ({inner}) c GROUP BY 1, 2");
        let groups: Vec<(String, String, i64)> = sql
            .bind(sqlx::query_as(&grouped))
            .fetch_all(&self.pool)
            .await?;
        for (district, code, n) in groups {
            let state = state_of(&code)?;
            counts.add(state, count(n));
            let in_district = filter.district.as_ref().is_none_or(|d| *d == district);
            if in_district && filter.state.is_none_or(|s| s == state) {
                matching += count(n);
            }
        }
        Ok((counts, matching))
    }

    /// The first `limit` stations matching `filter` at `now`, never-confirmed first, then by
    /// oldest confirmation.
    pub async fn coverage_rows(
        &self,
        unions: &[UnionId],
        filter: &CoverageFilter,
        limit: usize,
        now: Timestamp,
    ) -> Result<Vec<CoverageRow>, DbError> {
        if unions.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::default();
        let inner = matching(&mut sql, unions, filter, now);
        let limit = sql.arg(Arg::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
        // The first `limit` are chosen from the index's columns; only their names are read.
        let order = "CASE WHEN c.confirmed_at IS NULL THEN 0 ELSE 1 END, c.confirmed_at, c.id";
        let rows = format!(
            "SELECT c.id, t.name, c.district, u.name AS union_name, c.state, c.confirmed_at, \
             c.open_reports FROM (SELECT * FROM ({inner}) c ORDER BY {order} LIMIT {limit}) c \
             JOIN stations t ON t.id = c.id JOIN unions u ON u.id = c.union_id ORDER BY {order}"
        );
        let records: Vec<RowRecord> = sql
            .bind(sqlx::query_as(&rows))
            .fetch_all(&self.pool)
            .await?;
        records.into_iter().map(RowRecord::into_row).collect()
    }

    /// The bounds of `unions`' stations riders can find: (south, west, north, east).
    pub async fn coverage_bounds(
        &self,
        unions: &[UnionId],
    ) -> Result<Option<(f64, f64, f64, f64)>, DbError> {
        if unions.is_empty() {
            return Ok(None);
        }
        let sql = format!(
            "SELECT MIN(lat), MIN(lng), MAX(lat), MAX(lng) FROM stations \
             WHERE union_id IN ({}) AND NOT hidden",
            marks(1, unions.len())
        );
        let mut q = sqlx::query_as::<_, (Option<f64>, Option<f64>, Option<f64>, Option<f64>)>(&sql);
        for u in unions {
            q = q.bind(u.as_str());
        }
        Ok(match q.fetch_one(&self.pool).await? {
            (Some(s), Some(w), Some(n), Some(e)) => Some((s, w, n, e)),
            _ => None,
        })
    }

    /// The stations matching `filter`, counted per grid cell of `grid` and state.
    pub async fn coverage_cells(
        &self,
        unions: &[UnionId],
        filter: &CoverageFilter,
        grid: MapGrid,
        now: Timestamp,
    ) -> Result<Vec<MapCell>, DbError> {
        if unions.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::default();
        let inner = matching(&mut sql, unions, filter, now);
        let (west, north) = (
            sql.arg(Arg::Real(grid.west)),
            sql.arg(Arg::Real(grid.north)),
        );
        let (per_lng, per_lat) = (
            sql.arg(Arg::Real(grid.per_lng)),
            sql.arg(Arg::Real(grid.per_lat)),
        );
        // SQLite truncates a CAST to an integer and PostgreSQL rounds: either way a station
        // lands in its cell or the next, half a cell from where it is.
        let cells = format!(
            "SELECT CAST((c.lng - {west}) * {per_lng} AS BIGINT) AS x, \
             CAST(({north} - c.lat) * {per_lat} AS BIGINT) AS y, c.state, COUNT(*) \
             FROM ({inner}) c GROUP BY 1, 2, 3"
        );
        let rows: Vec<(i64, i64, String, i64)> = sql
            .bind(sqlx::query_as(&cells))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|(x, y, code, n)| {
                Ok(MapCell {
                    x,
                    y,
                    state: state_of(&code)?,
                    stations: count(n),
                })
            })
            .collect()
    }

    /// The figures of the weeks starting at `weeks` (Monday starts, oldest first) in `scope`.
    pub async fn weekly(
        &self,
        scope: WeekScope<'_>,
        weeks: &[Timestamp],
    ) -> Result<Vec<WeekFigures>, DbError> {
        let mut out: Vec<WeekFigures> = weeks
            .iter()
            .map(|w| WeekFigures {
                week: w.beijing().to_string().chars().take(10).collect(),
                ..WeekFigures::default()
            })
            .collect();
        let (Some(first), Some(last)) = (weeks.first(), weeks.last()) else {
            return Ok(out);
        };
        if scope.unions.is_empty() {
            return Ok(out);
        }
        let (start, end) = (first.unix(), last.unix() + WEEK_SECONDS);
        let slot = |t: i64| usize::try_from(week_index(*first, Timestamp::from_unix(t))).ok();
        for figure in Figure::ALL {
            let (from, time, sum, cond) = figure.parts();
            let mut sql = Sql::default();
            let (clause, first_week) = scope.sql(&mut sql, figure, time, start, end);
            // Rows are at or after the first Monday, so integer division is the week's index.
            let text = format!(
                "SELECT ({time} - {first_week}) / {WEEK_SECONDS}, {sum} FROM {from} \
                 WHERE {clause} AND {cond} GROUP BY 1"
            );
            let rows: Vec<(i64, i64)> = sql
                .bind(sqlx::query_as(&text))
                .fetch_all(&self.pool)
                .await?;
            for (week, n) in rows {
                let slot = usize::try_from(week).ok();
                if let Some(w) = slot.and_then(|i| out.get_mut(i)) {
                    *figure.into(w) += count(n);
                }
            }
        }
        // Medians need the durations themselves: only of reports resolved in these weeks.
        let mut sql = Sql::default();
        let (clause, _) = scope.sql(&mut sql, Figure::Resolved, "x.resolved_at", start, end);
        let text = format!(
            "SELECT x.resolved_at, x.resolved_at - x.created_at FROM reports x \
             JOIN stations s ON s.id = x.station_id WHERE {clause} AND x.kind <> 'confirm'"
        );
        let rows: Vec<(i64, i64)> = sql
            .bind(sqlx::query_as(&text))
            .fetch_all(&self.pool)
            .await?;
        let mut hours: Vec<Vec<f64>> = vec![Vec::new(); out.len()];
        for (t, secs) in rows {
            if let Some(v) = slot(t).and_then(|i| hours.get_mut(i)) {
                #[allow(clippy::cast_precision_loss, reason = "seconds far below 2^53")]
                v.push(secs.max(0) as f64 / 3600.0);
            }
        }
        for (w, mut h) in out.iter_mut().zip(hours) {
            w.median_hours_to_resolve =
                yizhan_core::coverage::median(&mut h).map(|m| (m * 10.0).round() / 10.0);
        }
        Ok(out)
    }
}
