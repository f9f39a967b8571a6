-- data/demo/schema.sql: the demo database of schemerge (README: "try it on the demo").
-- A small project-management world: organizations run projects, people are members of
-- projects with a role, projects have requirements and documents, and every change is
-- written to a partitioned audit log. It uses what schemerge must read: enums (one with
-- labels that need care), a domain, jsonb, arrays, an identity and a generated column,
-- foreign, unique, check and primary keys, comments, and a partitioned table.
-- Load into an empty database: psql -v ON_ERROR_STOP=1 -f data/demo/schema.sql

BEGIN;

CREATE EXTENSION IF NOT EXISTS pgcrypto; -- gen_random_uuid() before PostgreSQL 13

CREATE TYPE organization_type AS ENUM ('company', 'nonprofit', 'government', 'university', 'consultancy');
COMMENT ON TYPE organization_type IS 'What kind of body an organization is';
CREATE TYPE project_status AS ENUM ('active', 'pending', 'on_hold', 'completed', 'archived');
CREATE TYPE requirement_priority AS ENUM ('critical', 'high', 'medium', 'low', 'nice to have');
CREATE TYPE member_role AS ENUM ('owner', 'admin', 'member', 'viewer');
CREATE TYPE document_kind AS ENUM ('spec', 'contract', 'report', 'meeting_notes', 'other');

CREATE DOMAIN email_address AS text
    CHECK (VALUE ~ '^[^@[:space:]]+@[^@[:space:]]+$');
COMMENT ON DOMAIN email_address IS 'An e-mail address (loosely checked)';

CREATE TABLE organizations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    slug varchar(63) NOT NULL UNIQUE,
    type organization_type NOT NULL DEFAULT 'company',
    website text,
    settings jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz,
    CONSTRAINT organizations_slug_format CHECK (slug ~ '^[a-z0-9-]+$')
);
COMMENT ON TABLE organizations IS 'Companies and other bodies that run projects';
COMMENT ON COLUMN organizations.slug IS 'URL-safe short name, unique';

CREATE TABLE people (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid REFERENCES organizations (id) ON DELETE SET NULL,
    first_name text NOT NULL,
    last_name text NOT NULL,
    full_name text GENERATED ALWAYS AS (first_name || ' ' || last_name) STORED,
    email email_address NOT NULL UNIQUE,
    phone varchar(32),
    skills text[] NOT NULL DEFAULT '{}',
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE people IS 'Everyone who can take part in a project';
COMMENT ON COLUMN people.full_name IS 'Computed by the database; never written';

CREATE TABLE projects (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    code text NOT NULL,
    name text NOT NULL,
    description text,
    status project_status NOT NULL DEFAULT 'pending',
    budget numeric(14,2) CHECK (budget >= 0),
    starts_on date,
    ends_on date,
    tags text[],
    metadata jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz,
    UNIQUE (organization_id, code),
    CONSTRAINT projects_dates_ordered CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
);
COMMENT ON TABLE projects IS 'A piece of work run by one organization';

CREATE TABLE project_members (
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    person_id uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role member_role NOT NULL DEFAULT 'member',
    joined_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, person_id)
);
COMMENT ON TABLE project_members IS 'Who works on which project, and as what';

CREATE TABLE requirements (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    parent_id bigint REFERENCES requirements (id),
    number integer NOT NULL,
    title text NOT NULL,
    body text,
    priority requirement_priority NOT NULL DEFAULT 'medium',
    estimate_hours real,
    acceptance_criteria jsonb,
    owner_id uuid REFERENCES people (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, number),
    CHECK (estimate_hours IS NULL OR estimate_hours > 0)
);
COMMENT ON TABLE requirements IS 'What a project must deliver; may nest';
COMMENT ON COLUMN requirements.number IS 'Sequential number within the project (REQ-12)';

CREATE TABLE documents (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    requirement_id bigint REFERENCES requirements (id) ON DELETE SET NULL,
    kind document_kind NOT NULL DEFAULT 'other',
    title text NOT NULL,
    storage_path text NOT NULL UNIQUE,
    mime_type varchar(127),
    size_bytes bigint CHECK (size_bytes >= 0),
    checksum bytea,
    uploaded_by uuid REFERENCES people (id),
    uploaded_at timestamptz NOT NULL DEFAULT now(),
    search tsvector
);
COMMENT ON TABLE documents IS 'Files attached to a project or a requirement';

-- The audit log: partitioned by month; the partitions are not tables of their own.
CREATE TABLE audit_log (
    id bigint GENERATED BY DEFAULT AS IDENTITY,
    at timestamptz NOT NULL DEFAULT now(),
    actor_id uuid,
    table_name name NOT NULL,
    row_id text NOT NULL,
    action text NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    old_values jsonb,
    new_values jsonb,
    client_addr inet,
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
COMMENT ON TABLE audit_log IS 'Every change to the data, one row per statement and row';
CREATE TABLE audit_log_2025_01 PARTITION OF audit_log FOR VALUES FROM ('2025-01-01') TO ('2025-02-01');
CREATE TABLE audit_log_2025_02 PARTITION OF audit_log FOR VALUES FROM ('2025-02-01') TO ('2025-03-01');
CREATE TABLE audit_log_default PARTITION OF audit_log DEFAULT;

-- A little data, so the demo looks alive.
INSERT INTO organizations (id, name, slug, type) VALUES
    ('00000000-0000-4000-8000-000000000001', 'Acme Engineering', 'acme', 'company'),
    ('00000000-0000-4000-8000-000000000002', 'Open Rivers Trust', 'open-rivers', 'nonprofit');
INSERT INTO people (id, organization_id, first_name, last_name, email, skills) VALUES
    ('00000000-0000-4000-8000-000000000101', '00000000-0000-4000-8000-000000000001', 'Ada', 'Lovelace',
     'ada@acme.example', '{analysis,python}'),
    ('00000000-0000-4000-8000-000000000102', '00000000-0000-4000-8000-000000000002', 'Grace', 'Hopper',
     'grace@rivers.example', '{cobol,leadership}');
INSERT INTO projects (id, organization_id, code, name, status, budget, starts_on) VALUES
    ('00000000-0000-4000-8000-000000000201', '00000000-0000-4000-8000-000000000001', 'BRIDGE', 'River bridge',
     'active', 1250000.00, '2025-01-15');
INSERT INTO project_members (project_id, person_id, role) VALUES
    ('00000000-0000-4000-8000-000000000201', '00000000-0000-4000-8000-000000000101', 'owner'),
    ('00000000-0000-4000-8000-000000000201', '00000000-0000-4000-8000-000000000102', 'viewer');
INSERT INTO requirements (project_id, number, title, priority, owner_id) VALUES
    ('00000000-0000-4000-8000-000000000201', 1, 'Carry two lanes of traffic', 'critical',
     '00000000-0000-4000-8000-000000000101'),
    ('00000000-0000-4000-8000-000000000201', 2, 'Night lighting', 'nice to have', NULL);

COMMIT;
