-- Fresher planner statistics for the tables a listing pages through (issue 10, bench/README.md). PostgreSQL
-- plans each statement from statistics that autovacuum refreshes once 10% of a table changed; a repository
-- that grew by 100,000 images since then still looks nearly empty to the planner, which then reads a page's
-- tags by scanning every tag of the repository (95 ms for 150,000 tags) instead of probing tags_by_digest
-- (under 1 ms). Here the refresh comes after 1% of a table (and at least 1,000 rows) changed, and the
-- statistics of repository_id keep more values, so that large repositories are each known by their size.
-- The placeholder below is those settings on PostgreSQL and a no-op on SQLite (SqlEngine), whose planner
-- uses no such statistics unless ANALYZE is run.
${planner_statistics}
