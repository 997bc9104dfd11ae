"""Synthetic public marts with exactly the contract's columns, for testing the reviewer outputs.

The values follow the spec's rules (levels from criteria, ANTT_04/06 from the monthly data, the
district criteria from the communes) so the pages can be checked against a consistent warehouse.
Tables are created as antt_transformer (their owner in production), so antt_reader reads them
through the schema's default privileges exactly as it reads the dbt marts.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

import psycopg
import yaml

from antt.config import DBT_PROJECT_DIR, SEEDS_DIR

CRITERIA_SET = "2021-2025"
NTM_CRITERIA = [f"ANTT_{i:02d}" for i in range(1, 6)]
NC_CRITERIA = [f"ANTT_{i:02d}" for i in range(6, 11)]
DISTRICT_NTM = ["ANTT_H1", "ANTT_H2", "ANTT_H3", "ANTT_H4"]
DISTRICT_NC = ["ANTT_H5", "ANTT_H6"]

DDL = """
CREATE TABLE marts.commune_criteria (
    criteria_set text NOT NULL, year integer NOT NULL, commune_code text NOT NULL,
    criterion_code text NOT NULL, level text NOT NULL, status text NOT NULL,
    measured_value numeric, measured_low numeric, measured_high numeric, threshold numeric,
    comparison text, detail text);
CREATE TABLE marts.commune_scorecard (
    criteria_set text NOT NULL, year integer NOT NULL, commune_code text NOT NULL,
    commune_name text NOT NULL, commune_type text NOT NULL, district_code text NOT NULL,
    district_name text NOT NULL, province_code text NOT NULL, held_level text,
    registered_level text, ntm_status text NOT NULL, ntm_nang_cao_status text NOT NULL,
    ntm_kieu_mau_status text NOT NULL, months_reported integer);
CREATE TABLE marts.district_criteria (
    criteria_set text NOT NULL, year integer NOT NULL, district_code text NOT NULL,
    criterion_code text NOT NULL, level text NOT NULL, status text NOT NULL,
    measured_value numeric, threshold numeric, comparison text, detail text);
CREATE TABLE marts.district_scorecard (
    criteria_set text NOT NULL, year integer NOT NULL, district_code text NOT NULL,
    district_name text NOT NULL, province_code text NOT NULL, huyen_ntm_status text NOT NULL,
    huyen_ntm_nang_cao_status text NOT NULL, communes_total integer,
    communes_ntm_dat integer, communes_ntm_nang_cao_dat integer);
CREATE TABLE marts.fct_indicator_monthly (
    commune_code text NOT NULL, period_month date NOT NULL, indicator_code text NOT NULL,
    indicator_group text NOT NULL, value bigint, source_unit text NOT NULL,
    submission_id bigint NOT NULL);
"""

# The register marts are views over raw and audit in dbt; these stand-ins have the contract's
# columns (checked against the marts' YAML by test_report_data) and read the same tables, so pages
# see a rejected file as soon as add_rejected registers it.
REGISTER_DDL = """
CREATE VIEW marts.submission_register AS
SELECT s.submission_id, s.unit_code,
       substring(upper(s.unit_code) from '^(CAH|CAT|VPDP)') AS unit_level,
       CASE WHEN s.unit_code ~* '^CAH' THEN d.province_code
            WHEN s.unit_code ~* '^(CAT|VPDP)' THEN substring(s.unit_code from '[0-9]+$') END
           AS province_code,
       CASE WHEN s.unit_code ~* '^CAH' THEN substring(s.unit_code from '[0-9]+$') END
           AS district_code,
       s.dataset, s.period, CAST(left(s.period, 4) AS integer) AS period_year, s.file_name,
       s.sha256, s.size_bytes, s.status, s.received_at, s.accepted_at, s.row_count,
       s.error_count, s.replaces_submission_id, s.duplicate_of_submission_id, s.report_path,
       false AS is_current
FROM raw.submissions s
LEFT JOIN raw.admin_district d ON d.district_code = substring(s.unit_code from '[0-9]+$');
CREATE VIEW marts.submission_errors AS
SELECT submission_id, error_no, sheet, source_row, column_name, cell_value, code, message_vi,
       message_en
FROM audit.submission_errors;
"""


# The dimensions the outputs look up, as the dbt models build them: the unit lists from the
# tables `antt db init` fills, the catalogues from the seeds (filled by `add_dimensions`); the
# lineage of the new units is empty (report_marts_2025 fills the part it needs).
DIMENSIONS_DDL = """
CREATE TABLE marts.dim_province AS
SELECT province_code, province_name, province_name_short, 'OLD' AS era,
       CAST(NULL AS date) AS valid_from, DATE '2025-06-30' AS valid_to
FROM raw.admin_province
UNION ALL
SELECT province_code, province_name,
       regexp_replace(province_name, '^(Tỉnh|Thành phố) ', '') AS province_name_short,
       'NEW' AS era, DATE '2025-07-01' AS valid_from, CAST(NULL AS date) AS valid_to
FROM raw.admin_province_2025;
CREATE TABLE marts.dim_district AS
SELECT d.district_code, d.district_name, d.district_name_short, d.district_type, d.province_code,
       p.province_name
FROM raw.admin_district d JOIN raw.admin_province p USING (province_code);
CREATE TABLE marts.dim_commune AS
SELECT c.commune_code, c.commune_name, c.commune_name_short, c.commune_type, c.district_code,
       d.district_name, c.province_code, p.province_name, 'OLD' AS era,
       CAST(NULL AS date) AS valid_from, DATE '2025-06-30' AS valid_to
FROM raw.admin_commune c
JOIN raw.admin_district d USING (district_code)
JOIN raw.admin_province p ON p.province_code = c.province_code
UNION ALL
SELECT n.commune_code, n.commune_name, n.commune_name_short, n.commune_type,
       CAST(NULL AS text), CAST(NULL AS text), n.province_code, p.province_name, 'NEW',
       DATE '2025-07-01', CAST(NULL AS date)
FROM raw.admin_commune_2025 n JOIN raw.admin_province_2025 p USING (province_code);
CREATE TABLE marts.commune_lineage (
    old_code text NOT NULL, old_name text NOT NULL, old_district_code text,
    old_province_code text NOT NULL, new_code text NOT NULL, new_name text NOT NULL,
    new_type text NOT NULL, new_province_code text NOT NULL, relation text NOT NULL,
    valid_from date NOT NULL);
CREATE TABLE marts.dim_indicator (
    indicator_code text, indicator_group text, indicator_name_vi text, indicator_name_en text,
    penal_code_articles text, required_for_complete_data boolean);
CREATE TABLE marts.dim_criteria_set (
    criteria_set text, year_from integer, year_to integer, commune_criteria bigint,
    district_criteria bigint, is_evaluated boolean);
CREATE TABLE marts.dim_criterion (
    criteria_set text NOT NULL, criterion_code text NOT NULL, scope text NOT NULL,
    sort_order integer, criterion_name_vi text NOT NULL, criterion_name_en text NOT NULL,
    first_level text NOT NULL, levels text[] NOT NULL, comparison text, threshold numeric,
    threshold_unit text, year_from integer NOT NULL, year_to integer NOT NULL, source_doc text,
    PRIMARY KEY (criteria_set, criterion_code));
"""
DIMENSIONS = (
    "dim_province",
    "dim_district",
    "dim_commune",
    "commune_lineage",
    "dim_indicator",
    "dim_criteria_set",
    "dim_criterion",
)
COMPLETE_DATA_GROUPS = ("TTXH", "TE_NAN_XA_HOI")  # dim_indicator.required_for_complete_data
LEVEL_ORDER = ("NTM", "NTM_NANG_CAO", "NTM_KIEU_MAU", "HUYEN_NTM", "HUYEN_NTM_NANG_CAO")


def _seed(name: str) -> list[dict]:
    with (SEEDS_DIR / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def catalogue_rows() -> list[tuple]:
    """marts.dim_criterion as the model builds it from bo_tieu_chi and bo_tieu_chi_muc."""
    levels: dict[tuple[str, str], list[str]] = {}
    for row in _seed("bo_tieu_chi_muc.csv"):
        levels.setdefault((row["criteria_set"], row["criterion_code"]), []).append(row["level"])
    out = []
    for r in _seed("bo_tieu_chi.csv"):
        key = (r["criteria_set"], r["criterion_code"])
        out.append(
            (
                *key,
                r["scope"],
                int(r["sort_order"]),
                r["ten_tieu_chi"],
                r["name_en"],
                r["first_level"],
                sorted(levels.get(key, []), key=LEVEL_ORDER.index),
                r["comparison"] or None,
                Decimal(r["threshold"]) if r["threshold"] else None,
                r["threshold_unit"] or None,
                int(r["year_from"]),
                int(r["year_to"]),
                r["source_doc"] or None,
            )
        )
    return out


def add_dimensions(conn: psycopg.Connection) -> None:
    """Create and fill the dimension stand-ins (as the connection's role)."""
    conn.execute(DIMENSIONS_DDL)
    spans: dict[str, list] = {}
    for r in catalogue_rows():
        span = spans.setdefault(r[0], [r[11], r[12], 0, 0])
        span[2 if r[2] == "XA" else 3] += 1
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO marts.dim_indicator VALUES (%s, %s, %s, %s, %s, %s)",
            [
                (
                    r["ma_chi_tieu"],
                    r["nhom"],
                    r["ten"],
                    r["name_en"],
                    r["dieu_luat_blhs"] or None,
                    r["nhom"] in COMPLETE_DATA_GROUPS,
                )
                for r in _seed("indicators.csv")
            ],
        )
        cur.executemany(
            "INSERT INTO marts.dim_criteria_set VALUES (%s, %s, %s, %s, %s, true)",
            [(name, *span) for name, span in spans.items()],
        )
        cur.executemany(
            "INSERT INTO marts.dim_criterion VALUES"
            " (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            catalogue_rows(),
        )


# The comparison each criterion uses (the real marts carry it; see bo_tieu_chi.csv).
COMPARISONS = {code: "<=" for code in ("ANTT_01", "ANTT_02", "ANTT_03", "ANTT_04", "ANTT_08")}
COMPARISONS |= {code: "<=" for code in ("ANTT_09", "ANTT_H2", "ANTT_H3", "ANTT_H4")}
COMPARISONS |= {code: ">=" for code in ("ANTT_05", "ANTT_06", "ANTT_07", "ANTT_10")}
COMPARISONS |= {code: ">=" for code in ("ANTT_H1", "ANTT_H5", "ANTT_H6")}


def with_comparison(row: tuple) -> tuple:
    """A criteria row in the marts' column order: comparison sits between threshold and detail."""
    return row[:8] + (COMPARISONS[row[3]],) + row[8:]


def with_bounds(row: tuple) -> tuple:
    """A commune criteria row with its measured bounds, equal to the value before 2025 (exact)."""
    row = with_comparison(row)
    return row[:7] + (row[6], row[6]) + row[7:]


def indicators() -> list[tuple[str, str]]:
    return [(r["ma_chi_tieu"], r["nhom"]) for r in _seed("indicators.csv")]


def level_status(statuses: list[str]) -> str:
    if all(s == "DAT" for s in statuses):
        return "DAT"
    if any(s == "KHONG_DAT" for s in statuses):
        return "KHONG_DAT"
    return "KHONG_DU_DU_LIEU"


@dataclass
class MartsData:
    year: int
    province: str
    commune_criteria: list[tuple] = field(default_factory=list)
    commune_scorecard: list[tuple] = field(default_factory=list)
    district_criteria: list[tuple] = field(default_factory=list)
    district_scorecard: list[tuple] = field(default_factory=list)
    indicator_monthly: list[tuple] = field(default_factory=list)


def _pct_detail(prev: int, cur: int, year: int, label: str = "TTXH") -> tuple[Decimal, str]:
    if prev == 0:
        ok = cur == 0
        return Decimal(0), f"{label} {year - 1} = 0, {year} = {cur}: {'đạt' if ok else 'tăng từ 0'}"
    pct = Decimal(prev - cur) * 100 / prev
    pct = pct.quantize(Decimal("0.01"))
    word = "giảm" if pct >= 0 else "tăng"
    cmp = "≥" if pct >= 5 else "<"
    return pct, f"{label} {year - 1} = {prev}, {year} = {cur}, {word} {abs(pct)}% {cmp} 5%"


def _result(met: bool, measured, threshold, detail: str) -> tuple:
    """A criterion evaluated on complete data: (status, measured, threshold, detail)."""
    return ("DAT" if met else "KHONG_DAT", Decimal(measured), Decimal(threshold), detail)


def generate(
    conn: psycopg.Connection, year: int = 2023, province: str = "84", seed: int = 7
) -> MartsData:
    """Build consistent mart rows for every commune of `province` from raw.admin_*."""
    rng = random.Random(seed)
    units = conn.execute(
        "SELECT c.commune_code, c.commune_name, c.commune_type, d.district_code, d.district_name"
        " FROM raw.admin_commune c JOIN raw.admin_district d USING (district_code)"
        " WHERE c.province_code = %s ORDER BY c.commune_code",
        (province,),
    ).fetchall()
    inds = indicators()
    data = MartsData(year, province)
    per_district: dict[str, dict] = {}
    sub_id = 1
    for code, name, ctype, dcode, dname in units:
        dist = per_district.setdefault(
            dcode, {"name": dname, "xa": [], "ttxh": {year - 1: 0, year: 0}, "complete": True}
        )
        profile = rng.random()
        missing = set()
        if profile < 0.06:  # a commune that stopped reporting for months
            missing = {date(year, m, 1) for m in rng.sample(range(1, 13), rng.randint(1, 4))}
        blanks = set()
        if 0.06 <= profile < 0.09:
            blanks = {date(year - 1, rng.randint(1, 12), 1)}
        base = rng.randint(0, 3)
        totals = {year - 1: 0, year: 0}
        tnxh = {year - 1: 0, year: 0}
        complete = {year - 1: True, year: True}
        retained = 0
        for y in (year - 1, year):
            for m in range(1, 13):
                month = date(y, m, 1)
                if month in missing:
                    complete[y] = False
                    continue
                for ind_code, group in inds:
                    value = (
                        None
                        if (month in blanks and group == "TTXH" and ind_code.endswith("KHAC"))
                        else (rng.randint(0, base) if rng.random() < 0.12 else 0)
                    )
                    if value is None:
                        complete[y] = False
                    if group == "TTXH" and value is not None:
                        totals[y] += value
                    if group == "TE_NAN_XA_HOI" and value is not None:
                        tnxh[y] += value
                    if ind_code == "DT_TAI_PHAM" and y == year and value:
                        retained += value
                    data.indicator_monthly.append(
                        (code, month, ind_code, group, value, f"CAH{dcode}", sub_id)
                    )
                sub_id += 1
        if not (complete[year - 1] and complete[year]):
            dist["complete"] = False
        for y in totals:
            dist["ttxh"][y] += totals[y]
        results: dict[str, tuple[str, Decimal | None, Decimal | None, str]] = {}
        both = complete[year - 1] and complete[year]
        # ANTT_01-03, 08: incident criteria
        unrest = rng.random() < 0.03
        results["ANTT_01"] = _result(
            not unrest,
            int(unrest),
            0,
            "1 vụ ly khai, gây rối ANTT hoạt động trong năm"
            if unrest
            else "Không có vụ chống phá, đạo trái pháp luật, ly khai",
        )
        days = rng.choice([0, 0, 0, 0, 12, 30, 31, 45])
        results["ANTT_02"] = _result(
            days <= 30,
            days,
            30,
            f"Khiếu kiện đông người trái pháp luật kéo dài {days} ngày > 30"
            if days > 30
            else f"Khiếu kiện đông người dài nhất {days} ngày ≤ 30",
        )
        severe = 1 if rng.random() < 0.05 else 0
        results["ANTT_03"] = _result(not severe, severe, 0, f"{severe} trọng án xảy ra năm {year}")
        if both:
            ok = totals[year] <= totals[year - 1] and tnxh[year] <= tnxh[year - 1]
            results["ANTT_04"] = _result(
                ok,
                totals[year],
                totals[year - 1],
                f"TTXH {year - 1} = {totals[year - 1]}, {year} = {totals[year]}; "
                f"TNXH {year - 1} = {tnxh[year - 1]}, {year} = {tnxh[year]}",
            )
            pct, detail = _pct_detail(totals[year - 1], totals[year], year)
            met = (totals[year] == 0) if totals[year - 1] == 0 else pct >= 5
            results["ANTT_06"] = _result(met, pct, 5, detail)
        else:
            gap = f"thiếu dữ liệu tháng của năm {year if not complete[year] else year - 1}"
            results["ANTT_04"] = ("KHONG_DU_DU_LIEU", None, None, gap)
            results["ANTT_06"] = ("KHONG_DU_DU_LIEU", None, Decimal(5), gap)
        hamlets = rng.randint(4, 12)
        safe = hamlets if rng.random() < 0.8 else rng.randint(1, hamlets)
        ratio = Decimal(safe) / hamlets
        results["ANTT_05"] = _result(
            ratio >= Decimal("0.7"),
            ratio.quantize(Decimal("0.0001")),
            Decimal("0.70"),
            f"{safe}/{hamlets} ấp an toàn = {ratio * 100:.1f}% "
            f"{'≥' if ratio >= Decimal('0.7') else '<'} 70%; mô hình hiệu quả: 1; phong trào: KHA",
        )
        cams = 1 if rng.random() < 0.75 else 0
        results["ANTT_07"] = _result(
            bool(cams), cams, 1, f"{cams} mô hình camera an ninh hoạt động hiệu quả"
        )
        hot = 1 if rng.random() < 0.04 else 0
        results["ANTT_08"] = _result(
            not hot, hot, 0, f"{hot} điểm nóng / tụ điểm phức tạp hoạt động năm {year}"
        )
        if missing:
            results["ANTT_09"] = (
                "KHONG_DU_DU_LIEU",
                None,
                Decimal(0),
                f"thiếu DT_TAI_PHAM {len(missing)} tháng năm {year}",
            )
        else:
            results["ANTT_09"] = _result(
                not retained, retained, 0, f"{retained} đối tượng đang quản lý tái phạm"
            )
        adv = 1 if rng.random() < 0.85 else 0
        results["ANTT_10"] = _result(
            bool(adv),
            adv,
            1,
            "Công an xã đạt đơn vị tiên tiến" if adv else "Công an xã chưa đạt đơn vị tiên tiến",
        )
        for crit, (status, measured, threshold, detail) in results.items():
            lvl = "NTM" if crit in NTM_CRITERIA else "NTM_NANG_CAO"
            data.commune_criteria.append(
                (CRITERIA_SET, year, code, crit, lvl, status, measured, threshold, detail)
            )
        ntm = level_status([results[c][0] for c in NTM_CRITERIA])
        nc = level_status([results[c][0] for c in NTM_CRITERIA + NC_CRITERIA])
        held = rng.choice(["CHUA", "NTM", "NTM", "NTM", "NTM_NANG_CAO"])
        registered = rng.choice(["KHONG", "NTM", "NTM_NANG_CAO", "NTM_KIEU_MAU"])
        months_reported = 12 - len(missing)
        data.commune_scorecard.append(
            (
                CRITERIA_SET,
                year,
                code,
                name,
                ctype,
                dcode,
                dname,
                province,
                held,
                registered,
                ntm,
                nc,
                nc,
                months_reported,
            )
        )
        if ctype == "Xã":
            dist["xa"].append((ntm, nc))
    for dcode, dist in per_district.items():
        xa = dist["xa"]
        ntm_statuses = [s for s, _ in xa]
        h1 = level_status(ntm_statuses) if xa else "DAT"
        prev, cur = dist["ttxh"][year - 1], dist["ttxh"][year]
        n_dat = sum(1 for s in ntm_statuses if s == "DAT")
        nc_dat = sum(1 for _, s in xa if s == "DAT")
        share = Decimal(nc_dat * 100) / len(xa) if xa else Decimal(0)
        rows = {
            "ANTT_H1": (h1, Decimal(n_dat), Decimal(len(xa)), f"{n_dat}/{len(xa)} xã đạt NTM"),
            "ANTT_H2": ("DAT", Decimal(0), Decimal(0), "Không có oan sai"),
            "ANTT_H3": ("DAT", Decimal(0), Decimal(0), "Không có điểm nóng"),
        }
        if dist["complete"]:
            rows["ANTT_H4"] = (
                "DAT" if cur <= prev else "KHONG_DAT",
                Decimal(cur),
                Decimal(prev),
                f"TTXH huyện {year - 1} = {prev}, {year} = {cur}",
            )
            pct, detail = _pct_detail(prev, cur, year, "TTXH huyện")
            met = (cur == 0) if prev == 0 else pct >= 5
            rows["ANTT_H5"] = ("DAT" if met else "KHONG_DAT", pct, Decimal(5), detail)
        else:
            rows["ANTT_H4"] = ("KHONG_DU_DU_LIEU", None, None, "có xã thiếu dữ liệu")
            rows["ANTT_H5"] = ("KHONG_DU_DU_LIEU", None, Decimal(5), "có xã thiếu dữ liệu")
        rows["ANTT_H6"] = (
            "DAT" if share >= 50 else "KHONG_DAT",
            share.quantize(Decimal("0.01")),
            Decimal(50),
            f"{nc_dat}/{len(xa)} xã đạt NTM nâng cao = {share:.2f}%",
        )
        for crit, (status, measured, threshold, detail) in rows.items():
            lvl = "HUYEN_NTM" if crit in DISTRICT_NTM else "HUYEN_NTM_NANG_CAO"
            data.district_criteria.append(
                (CRITERIA_SET, year, dcode, crit, lvl, status, measured, threshold, detail)
            )
        data.district_scorecard.append(
            (
                CRITERIA_SET,
                year,
                dcode,
                dist["name"],
                province,
                level_status([rows[c][0] for c in DISTRICT_NTM]),
                level_status([rows[c][0] for c in DISTRICT_NTM + DISTRICT_NC]),
                len(ntm_statuses),
                n_dat,
                nc_dat,
            )
        )
    return data


def model_columns() -> dict[str, tuple[bool, list[str]]]:
    """Mart name -> (contract enforced, the columns its YAML lists), from every YAML file of
    the dbt marts folder."""
    models = {}
    for path in sorted((DBT_PROJECT_DIR / "models" / "marts").rglob("*.yml")):
        spec = yaml.safe_load(path.read_text("utf-8")) or {}
        for model in spec.get("models", []):
            enforced = model.get("config", {}).get("contract", {}).get("enforced", False)
            models[model["name"]] = (enforced, [c["name"] for c in model.get("columns", [])])
    return models


def stand_in_columns(conn: psycopg.Connection) -> dict[str, list[str]]:
    """Mart name -> its columns in order, as the connection's role sees schema `marts`."""
    rows = conn.execute(
        "SELECT table_name, array_agg(column_name::text ORDER BY ordinal_position)"
        " FROM information_schema.columns WHERE table_schema = 'marts' GROUP BY table_name"
    ).fetchall()
    return dict(rows)


def unlike_the_models(stand_ins: dict[str, list[str]]) -> list[str]:
    """The stand-ins whose columns are not those of their dbt model: exactly the contract's, in
    order, for a model with an enforced contract; at least those its YAML documents otherwise.
    A stand-in without a model is unlike it too."""
    models = model_columns()
    unlike = []
    for name, columns in sorted(stand_ins.items()):
        enforced, documented = models.get(name, (True, []))
        same = columns == documented if enforced else set(documented) <= set(columns)
        if not same:
            unlike.append(name)
    return unlike


def create_marts(admin_url: str, data: MartsData | None = None, **kwargs) -> MartsData:
    """Create the five marts in the warehouse at `admin_url` and fill them, and the two
    register views."""
    with psycopg.connect(admin_url) as conn:
        if data is None:
            data = generate(conn, **kwargs)
        conn.execute("SET ROLE antt_transformer")
        conn.execute(DDL)
        conn.execute(REGISTER_DDL)
        add_dimensions(conn)
        with conn.cursor() as cur:
            for table, rows in (
                ("commune_criteria", [with_bounds(r) for r in data.commune_criteria]),
                ("commune_scorecard", data.commune_scorecard),
                ("district_criteria", [with_comparison(r) for r in data.district_criteria]),
                ("district_scorecard", data.district_scorecard),
                ("fct_indicator_monthly", data.indicator_monthly),
            ):
                with cur.copy(f"COPY marts.{table} FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
    return data


def add_rejected(admin_url: str) -> list[int]:
    """Three rejected files (one of another province, one with an unparseable name) + errors."""
    ids = []
    received = datetime(2023, 7, 3, 9, 30, tzinfo=UTC)
    files = [
        ("CAH847", "chi_tieu", "2023-06", "CAH847_2023-06_chi_tieu.xlsx", 3),
        ("CAT01", "chi_tieu", "2023-06", "CAT01_2023-06_chi_tieu.csv", 1),
        (None, None, None, "bao_cao_thang_6.xlsx", 1),
        ("CAT84", "su_vu", "2022-12", "CAT84_2022-12_su_vu.csv", 1),
    ]
    with psycopg.connect(admin_url) as conn:
        for i, (unit, dataset, period, name, n_err) in enumerate(files):
            sid = conn.execute(
                "INSERT INTO raw.submissions (unit_code, dataset, period, file_name, sha256,"
                " size_bytes, status, received_at, error_count, report_path)"
                " VALUES (%s, %s, %s, %s, %s, %s, 'rejected', %s, %s, %s)"
                " RETURNING submission_id",
                (
                    unit,
                    dataset,
                    period,
                    name,
                    f"{i:064x}",
                    2048,
                    received,
                    n_err,
                    f"/quarantine/{name}.report.csv",
                ),
            ).fetchone()[0]
            ids.append(sid)
            for no in range(1, n_err + 1):
                conn.execute(
                    "INSERT INTO audit.submission_errors (submission_id, error_no, sheet,"
                    " source_row, column_name, cell_value, code, message_vi, message_en)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    (
                        sid,
                        no,
                        "chi_tieu",
                        4 + no,
                        "gia_tri",
                        f"-{no}<b>",
                        "NEGATIVE_VALUE",
                        f"Giá trị âm ở dòng {4 + no}",
                        f"Negative value on row {4 + no}",
                    ),
                )
    return ids
