-- Indexes for look-ups by a non-key column whose answer is ordered (issue 10, bench/scale.sh). Without the
-- order column in the index, SQLite's planner prefers the primary key (repository_id, <order column>), which
-- yields rows already sorted, and scans every row of the repository: tagsOf read all 150,000 tags of a
-- 100,000-image repository for each image of a DescribeImages / ListImages page. With the order column
-- appended, one index gives both the equality and the order, and both engines use it.
DROP INDEX tags_by_digest;
CREATE INDEX tags_by_digest ON tags (repository_id, digest, name);

DROP INDEX manifest_children_by_child;
CREATE INDEX manifest_children_by_child ON manifest_children (repository_id, child_digest, parent_digest);

DROP INDEX manifests_by_subject;
CREATE INDEX manifests_by_subject ON manifests (repository_id, subject_digest, digest) WHERE subject_digest IS NOT NULL;
