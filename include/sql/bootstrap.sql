-- Idempotent bootstrap of an ANTT warehouse database. Run by `antt db init` as the database owner.
-- Roles are created by the CLI before this script (CREATE ROLE has no IF NOT EXISTS).

CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS audit;
CREATE SCHEMA IF NOT EXISTS staging AUTHORIZATION antt_transformer;
CREATE SCHEMA IF NOT EXISTS intermediate AUTHORIZATION antt_transformer;
CREATE SCHEMA IF NOT EXISTS marts AUTHORIZATION antt_transformer;
ALTER SCHEMA staging OWNER TO antt_transformer;
ALTER SCHEMA intermediate OWNER TO antt_transformer;
ALTER SCHEMA marts OWNER TO antt_transformer;

-- Official administrative units, valid before the 2025-07-01 reorganisation (vietnamadminunits,
-- table admin_units_legacy). Loaded by `antt db init`; read by the loader for authorization.
CREATE TABLE IF NOT EXISTS raw.admin_province (
    province_code text PRIMARY KEY CHECK (province_code ~ '^[0-9]{2}$'),
    province_name text NOT NULL,
    province_name_short text NOT NULL
);
CREATE TABLE IF NOT EXISTS raw.admin_district (
    district_code text PRIMARY KEY CHECK (district_code ~ '^[0-9]{3}$'),
    province_code text NOT NULL REFERENCES raw.admin_province,
    district_name text NOT NULL,
    district_name_short text NOT NULL,
    district_type text NOT NULL
);
CREATE TABLE IF NOT EXISTS raw.admin_commune (
    commune_code text PRIMARY KEY CHECK (commune_code ~ '^[0-9]{5}$'),
    district_code text NOT NULL REFERENCES raw.admin_district,
    province_code text NOT NULL REFERENCES raw.admin_province,
    commune_name text NOT NULL,
    commune_name_short text NOT NULL,
    commune_type text NOT NULL CHECK (commune_type IN ('Xã', 'Phường', 'Thị trấn'))
);

-- Units valid from 2025-07-01 (two levels: province -> commune-level unit), official GSO codes from
-- the PyPI package vietnam-provinces. The three tables above are the units valid until 2025-06-30.
-- A code in both lists may name different territories (new 29386 = old 29386 + 29389 + 29392).
CREATE TABLE IF NOT EXISTS raw.admin_province_2025 (
    province_code text PRIMARY KEY CHECK (province_code ~ '^[0-9]{2}$'),
    province_name text NOT NULL,
    province_type text NOT NULL CHECK (province_type IN ('Tỉnh', 'Thành phố'))
);
CREATE TABLE IF NOT EXISTS raw.admin_commune_2025 (
    commune_code text PRIMARY KEY CHECK (commune_code ~ '^[0-9]{5}$'),
    province_code text NOT NULL REFERENCES raw.admin_province_2025,
    commune_name text NOT NULL,
    commune_name_short text NOT NULL,
    commune_type text NOT NULL CHECK (commune_type IN ('Xã', 'Phường', 'Đặc khu'))
);
-- Old commune -> new unit(s) at 2025-07-01: WHOLE (all of it went into one unit) or SPLIT (one row
-- per unit it was divided over). Reviewed data, loaded by `antt db init`.
CREATE TABLE IF NOT EXISTS raw.commune_crosswalk_2025 (
    old_commune_code text NOT NULL REFERENCES raw.admin_commune,
    new_commune_code text NOT NULL REFERENCES raw.admin_commune_2025,
    relation text NOT NULL CHECK (relation IN ('WHOLE', 'SPLIT')),
    PRIMARY KEY (old_commune_code, new_commune_code)
);

-- The submissions register: one row per file the warehouse has seen, whatever became of it.
CREATE TABLE IF NOT EXISTS raw.submissions (
    submission_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_code text,
    dataset text,
    period text,
    file_name text NOT NULL,
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes bigint NOT NULL,
    status text NOT NULL CHECK (status IN ('accepted', 'rejected', 'duplicate')),
    received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    accepted_at timestamptz,
    row_count integer,
    error_count integer NOT NULL DEFAULT 0,
    replaces_submission_id bigint REFERENCES raw.submissions,
    duplicate_of_submission_id bigint REFERENCES raw.submissions,
    report_path text,
    CHECK ((status = 'accepted') = (accepted_at IS NOT NULL)),
    CHECK (status <> 'accepted' OR (unit_code IS NOT NULL AND dataset IS NOT NULL AND period IS NOT NULL))
);
CREATE UNIQUE INDEX IF NOT EXISTS submissions_accepted_sha256
    ON raw.submissions (sha256) WHERE status = 'accepted';
CREATE INDEX IF NOT EXISTS submissions_scope
    ON raw.submissions (unit_code, dataset, period, submission_id) WHERE status = 'accepted';

-- Dataset rows. Append-only, keyed by submission; versions are resolved in dbt staging.
-- source_row is the row number the submitter sees (spreadsheet row or CSV line).
-- No foreign key to raw.submissions: PostgreSQL checks one per row, which made COPY five times
-- slower (bench/results). The loader writes the register row and the rows in one transaction,
-- and the dbt source test `in_accepted_submission` checks every row's submission.
CREATE TABLE IF NOT EXISTS raw.chi_tieu (
    submission_id bigint NOT NULL,
    source_row integer NOT NULL,
    ma_xa text NOT NULL,
    ma_chi_tieu text NOT NULL,
    gia_tri bigint CHECK (gia_tri >= 0),
    ten_xa text,
    ghi_chu text
);
-- chi_tieu is the high-volume table (every commune x indicator x month) and rows arrive in
-- submission_id order, so a BRIN index finds a submission's rows for a fraction of what a B-tree
-- costs each COPYed row (2.65 M rows: COPY 7.3 s with a B-tree, 4.7 s with BRIN; bench/results).
DROP INDEX IF EXISTS raw.chi_tieu_submission;  -- the B-tree of earlier versions
CREATE INDEX IF NOT EXISTS chi_tieu_submission_brin ON raw.chi_tieu USING brin (submission_id)
    WITH (autosummarize = on);
ALTER TABLE raw.chi_tieu DROP CONSTRAINT IF EXISTS chi_tieu_submission_id_fkey;

-- Contract v2: a month up to 2025-06 re-counted by a new province's police on the new units.
CREATE TABLE IF NOT EXISTS raw.chi_tieu_quy_doi (
    submission_id bigint NOT NULL,
    source_row integer NOT NULL,
    ma_xa text NOT NULL,
    ma_chi_tieu text NOT NULL,
    gia_tri bigint CHECK (gia_tri >= 0),
    ten_xa text,
    ghi_chu text
);
CREATE INDEX IF NOT EXISTS chi_tieu_quy_doi_submission ON raw.chi_tieu_quy_doi (submission_id);

CREATE TABLE IF NOT EXISTS raw.su_vu (
    submission_id bigint NOT NULL,
    source_row integer NOT NULL,
    ma_su_vu text NOT NULL,
    loai text NOT NULL,
    ma_xa text NOT NULL,
    ten_xa text,
    ngay_bat_dau date NOT NULL,
    ngay_ket_thuc date,
    so_nguoi integer CHECK (so_nguoi >= 0),
    trai_phap_luat smallint CHECK (trai_phap_luat IN (0, 1)),
    mo_ta text
);
CREATE INDEX IF NOT EXISTS su_vu_submission ON raw.su_vu (submission_id);
ALTER TABLE raw.su_vu DROP CONSTRAINT IF EXISTS su_vu_submission_id_fkey;
-- Contract v2: the unit that first reported the incident (blank = the submitting unit).
ALTER TABLE raw.su_vu ADD COLUMN IF NOT EXISTS don_vi_goc text;

CREATE TABLE IF NOT EXISTS raw.mo_hinh (
    submission_id bigint NOT NULL,
    source_row integer NOT NULL,
    ma_mo_hinh text NOT NULL,
    ma_xa text NOT NULL,
    ten_xa text,
    ten_mo_hinh text NOT NULL,
    loai_mo_hinh text NOT NULL,
    so_camera integer NOT NULL CHECK (so_camera >= 0),
    ngay_thanh_lap date NOT NULL,
    danh_gia text NOT NULL,
    hoat_dong smallint NOT NULL CHECK (hoat_dong IN (0, 1))
);
CREATE INDEX IF NOT EXISTS mo_hinh_submission ON raw.mo_hinh (submission_id);
ALTER TABLE raw.mo_hinh DROP CONSTRAINT IF EXISTS mo_hinh_submission_id_fkey;

CREATE TABLE IF NOT EXISTS raw.danh_gia_nam (
    submission_id bigint NOT NULL,
    source_row integer NOT NULL,
    ma_xa text NOT NULL,
    ten_xa text,
    so_ap integer NOT NULL CHECK (so_ap >= 1),
    so_ap_an_toan integer NOT NULL CHECK (so_ap_an_toan >= 0),
    xep_loai_phong_trao text NOT NULL,
    cong_an_xa_tien_tien smallint NOT NULL CHECK (cong_an_xa_tien_tien IN (0, 1))
);
CREATE INDEX IF NOT EXISTS danh_gia_nam_submission ON raw.danh_gia_nam (submission_id);
ALTER TABLE raw.danh_gia_nam DROP CONSTRAINT IF EXISTS danh_gia_nam_submission_id_fkey;

CREATE TABLE IF NOT EXISTS raw.dang_ky_ntm (
    submission_id bigint NOT NULL,
    source_row integer NOT NULL,
    ma_xa text NOT NULL,
    ten_xa text,
    muc_da_dat text NOT NULL,
    nam_dat integer,
    muc_dang_ky text NOT NULL
);
CREATE INDEX IF NOT EXISTS dang_ky_ntm_submission ON raw.dang_ky_ntm (submission_id);
ALTER TABLE raw.dang_ky_ntm DROP CONSTRAINT IF EXISTS dang_ky_ntm_submission_id_fkey;

-- A register row is `pending` only inside the transaction that loads its file (never committed).
ALTER TABLE raw.submissions DROP CONSTRAINT IF EXISTS submissions_status_check;
ALTER TABLE raw.submissions ADD CONSTRAINT submissions_status_check
    CHECK (status IN ('pending', 'accepted', 'rejected', 'duplicate'));

-- Every error found in a rejected file, as the rejection report lists it.
CREATE TABLE IF NOT EXISTS audit.submission_errors (
    submission_id bigint NOT NULL REFERENCES raw.submissions,
    error_no integer NOT NULL,
    sheet text,
    source_row integer,
    column_name text,
    cell_value text,
    code text NOT NULL,
    message_vi text NOT NULL,
    message_en text NOT NULL,
    PRIMARY KEY (submission_id, error_no)
);

-- History is append-only for every role but the owner of raw (who may repair by hand):
-- a register row is inserted `pending` and settled once, in the transaction that inserted it;
-- dataset rows and error rows go only to a `pending` submission, that is one being loaded in the
-- current transaction (no pending row is ever committed, and another's are invisible).
CREATE OR REPLACE FUNCTION raw.is_raw_owner() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT pg_has_role(current_user, (SELECT nspowner FROM pg_namespace WHERE nspname = 'raw'),
                       'USAGE')
$$;

CREATE OR REPLACE FUNCTION raw.submissions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF raw.is_raw_owner() THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'pending' THEN
            RAISE insufficient_privilege
                USING MESSAGE = 'a submission is registered as pending and settled afterwards';
        END IF;
        -- received_at is when the file reached landing (its time there), never a future time.
        IF NEW.received_at > clock_timestamp() THEN
            RAISE insufficient_privilege
                USING MESSAGE = 'a submission cannot be received in the future';
        END IF;
        RETURN NEW;
    END IF;
    IF OLD.status <> 'pending' THEN
        RAISE insufficient_privilege USING MESSAGE = format(
            'submission %s is %s: a settled submission never changes', OLD.submission_id,
            OLD.status);
    END IF;
    IF NEW.status NOT IN ('accepted', 'rejected', 'duplicate') THEN
        RAISE insufficient_privilege
            USING MESSAGE = 'a pending submission settles as accepted, rejected or duplicate';
    END IF;
    IF (NEW.status = 'duplicate') <> (NEW.duplicate_of_submission_id IS NOT NULL) THEN
        RAISE check_violation
            USING MESSAGE = 'a duplicate names the submission it duplicates, and only a duplicate';
    END IF;
    NEW.accepted_at := CASE WHEN NEW.status = 'accepted' THEN clock_timestamp() END;
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS submissions_guard ON raw.submissions;
CREATE TRIGGER submissions_guard BEFORE INSERT OR UPDATE ON raw.submissions
    FOR EACH ROW EXECUTE FUNCTION raw.submissions_guard();

CREATE OR REPLACE FUNCTION raw.submissions_settled() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM raw.submissions
               WHERE submission_id = NEW.submission_id AND status = 'pending') THEN
        RAISE integrity_constraint_violation USING MESSAGE = format(
            'submission %s is still pending at commit', NEW.submission_id);
    END IF;
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS submissions_settled ON raw.submissions;
CREATE CONSTRAINT TRIGGER submissions_settled AFTER INSERT ON raw.submissions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION raw.submissions_settled();

-- Once per statement over the transition table (a row trigger would slow COPY several times;
-- the statement check adds about 16 % to the COPY time, bench/results/append_only_check.md).
CREATE OR REPLACE FUNCTION raw.rows_into_pending() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF raw.is_raw_owner() THEN
        RETURN NULL;
    END IF;
    IF EXISTS (
        SELECT 1 FROM (SELECT DISTINCT submission_id FROM new_rows) n
        WHERE NOT EXISTS (SELECT 1 FROM raw.submissions s
                          WHERE s.submission_id = n.submission_id AND s.status = 'pending')
    ) THEN
        RAISE insufficient_privilege USING MESSAGE = format(
            'rows of %I.%I go only to a submission being loaded in this transaction',
            TG_TABLE_SCHEMA, TG_TABLE_NAME);
    END IF;
    RETURN NULL;
END
$$;
DO $$
DECLARE
    target regclass;
BEGIN
    FOREACH target IN ARRAY ARRAY['raw.chi_tieu', 'raw.chi_tieu_quy_doi', 'raw.su_vu',
        'raw.mo_hinh', 'raw.danh_gia_nam', 'raw.dang_ky_ntm', 'audit.submission_errors']::regclass[]
    LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS rows_into_pending ON %s', target);
        EXECUTE format('CREATE TRIGGER rows_into_pending AFTER INSERT ON %s'
                       ' REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT'
                       ' EXECUTE FUNCTION raw.rows_into_pending()', target);
    END LOOP;
END
$$;

-- Closing a year (chốt số liệu): every lock and unlock of a province-year, never updated or
-- deleted. The newest row of a (province, year) says whether it is closed. Written by `antt lock`
-- as the database owner; the loader reads it to refuse a file for a closed period.
CREATE TABLE IF NOT EXISTS audit.period_locks (
    lock_event_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    province_code text NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
    year integer NOT NULL CHECK (year BETWEEN 1900 AND 9999),
    action text NOT NULL CHECK (action IN ('lock', 'unlock')),
    actor text NOT NULL CHECK (length(btrim(actor)) > 0),
    reason text,
    database_user text NOT NULL DEFAULT session_user,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK (action = 'lock' OR length(btrim(reason)) > 0)
);
CREATE INDEX IF NOT EXISTS period_locks_scope
    ON audit.period_locks (province_code, year, lock_event_id);
CREATE OR REPLACE FUNCTION audit.period_locks_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit.period_locks is append-only: locks and unlocks are never changed or deleted';
END
$$;
DROP TRIGGER IF EXISTS period_locks_append_only ON audit.period_locks;
CREATE TRIGGER period_locks_append_only
    BEFORE UPDATE OR DELETE ON audit.period_locks
    FOR EACH ROW EXECUTE FUNCTION audit.period_locks_append_only();
DROP TRIGGER IF EXISTS period_locks_no_truncate ON audit.period_locks;
CREATE TRIGGER period_locks_no_truncate
    BEFORE TRUNCATE ON audit.period_locks
    FOR EACH STATEMENT EXECUTE FUNCTION audit.period_locks_append_only();

-- Privileges. Nothing for PUBLIC; each role gets exactly what its job needs.
REVOKE ALL ON SCHEMA raw, audit, staging, intermediate, marts FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
-- Temporary tables only for the role that needs them (dbt-postgres builds incremental models
-- through a temporary table); any other login of the server gets none in this database.
DO $$
BEGIN
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO antt_transformer', current_database());
END
$$;

-- antt_loader: writes raw and audit, nothing else.
GRANT USAGE ON SCHEMA raw, audit TO antt_loader;
GRANT SELECT ON raw.admin_province, raw.admin_district, raw.admin_commune TO antt_loader;
GRANT SELECT ON raw.admin_province_2025, raw.admin_commune_2025, raw.commune_crosswalk_2025
    TO antt_loader;
-- The register is append-only for the loader: it inserts a `pending` row (only the columns that
-- describe the file) and settles it once, in the same transaction, as accepted, rejected or
-- duplicate (only the outcome columns). The triggers below hold the rest.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON raw.submissions FROM antt_loader;
GRANT SELECT ON raw.submissions TO antt_loader;
GRANT INSERT (unit_code, dataset, period, file_name, sha256, size_bytes, status, received_at,
              replaces_submission_id, duplicate_of_submission_id) ON raw.submissions TO antt_loader;
GRANT UPDATE (status, row_count, error_count, report_path) ON raw.submissions TO antt_loader;
GRANT SELECT, INSERT ON raw.chi_tieu, raw.chi_tieu_quy_doi, raw.su_vu, raw.mo_hinh,
    raw.danh_gia_nam, raw.dang_ky_ntm TO antt_loader;
GRANT SELECT, INSERT ON audit.submission_errors TO antt_loader;
GRANT SELECT ON audit.period_locks TO antt_loader;

-- antt_transformer: reads raw, owns staging, intermediate and marts; stores test failures in audit.
GRANT USAGE ON SCHEMA raw TO antt_transformer;
GRANT SELECT ON ALL TABLES IN SCHEMA raw TO antt_transformer;
GRANT USAGE, CREATE ON SCHEMA audit TO antt_transformer;
GRANT SELECT ON audit.submission_errors, audit.period_locks TO antt_transformer;

-- antt_reader: reads marts only (the BI role).
GRANT USAGE ON SCHEMA marts TO antt_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE antt_transformer IN SCHEMA marts GRANT SELECT ON TABLES TO antt_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA marts TO antt_reader;
