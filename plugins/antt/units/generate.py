"""`antt units crosswalk`: derive old commune -> new unit rows, check them, apply the overrides.

The converter data of vietnamadminunits is keyed by names; every new unit is translated to its
OFFICIAL code by its name (diacritics kept) within its new province. Nothing suspicious is
guessed: it becomes a finding that stays open until a line of the overrides file decides it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from antt.errors import AnttError
from antt.ingest.normalize import name_key, nfc
from antt.units.crosswalk import CrosswalkRow, with_relations
from antt.units.lists import NewUnit, OldCommune, new_units, old_communes
from antt.units.overrides import Override
from antt.units.sources import ConverterData, converter_data

# kind -> (Vietnamese, English) description, in the order the report lists them
FINDING_KINDS: dict[str, tuple[str, str]] = {
    "UNKNOWN_OLD_KEY": (
        "khóa xã cũ không có trong danh sách cũ",
        "old key not in the old list",
    ),
    "UNRESOLVED_NAME": (
        "tên đơn vị mới không khớp đúng một đơn vị chính thức của tỉnh mới",
        "new unit name matches no single official unit of its new province",
    ),
    "WHOLE_AND_SPLIT": (
        "xã cũ vừa nhập nguyên vẹn vừa bị chia",
        "old commune listed both as merged whole and as split",
    ),
    "WHOLE_TWICE": (
        "xã cũ nhập nguyên vẹn vào nhiều đơn vị",
        "old commune merged whole into several units",
    ),
    "SPLIT_INTO_ONE": (
        "xã cũ 'bị chia' vào ít hơn hai đơn vị",
        "old commune 'split' into fewer than two units",
    ),
    "OUTSIDE_PROVINCE": (
        "đơn vị kế thừa nằm ngoài tỉnh mới tiếp nhận tỉnh cũ của xã",
        "successor outside the new province that absorbed the commune's province",
    ),
    "OTHER_FORMER_PROVINCE": (
        "mọi tiền thân khác của đơn vị kế thừa thuộc một tỉnh cũ khác",
        "every other predecessor of the successor lies in another former province",
    ),
    "NAMESAKE": (
        "đơn vị kế thừa (chia) trùng với đơn vị kế thừa của một xã cũ cùng tên",
        "split successor shared with a same-named old commune (name-key collision?)",
    ),
    "NO_SUCCESSOR": ("xã cũ không có đơn vị kế thừa", "old commune without a successor"),
    "NO_PREDECESSOR": ("đơn vị mới không có xã tiền thân", "new unit without a predecessor"),
}


# Defects of the converter's data itself (the others are checks of the rows it gives).
SOURCE_KINDS = frozenset(
    {"UNKNOWN_OLD_KEY", "UNRESOLVED_NAME", "WHOLE_AND_SPLIT", "WHOLE_TWICE", "SPLIT_INTO_ONE"}
)


@dataclass(frozen=True)
class Finding:
    kind: str
    old_code: str  # "" when the finding is about a new unit only
    new_code: str  # "" when it is about an old commune only
    detail: str
    decision: str = ""  # "<ACTION> (line N): <reason>" of the deciding override; "" = open

    @property
    def is_open(self) -> bool:
        return not self.decision


@dataclass
class CrosswalkBuild:
    rows: list[CrosswalkRow]
    findings: list[Finding]
    generated_pairs: int
    # (name, vietnamadminunits' code, official code) of units whose package code is not official
    code_differences: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def open_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.is_open]


@dataclass
class _Reference:
    old: dict[str, OldCommune]
    new: dict[str, NewUnit]
    absorbing: dict[str, str]  # old province code -> new province code

    def describe_old(self, code: str) -> str:
        c = self.old.get(code)
        return f"{code} {c.name} ({c.district_name}, {c.province_code})" if c else code

    def describe_new(self, code: str) -> str:
        u = self.new.get(code)
        return f"{code} {u.name} ({u.province_code})" if u else code


def build_crosswalk(overrides: list[Override]) -> CrosswalkBuild:
    """Generate from the installed packages, check, apply `overrides`; findings say what is left."""
    data = converter_data()
    news = new_units()
    province_codes = _new_province_codes(data)
    ref = _Reference(
        old={c.code: c for c in old_communes()},
        new={u.code: u for u in news},
        absorbing=_absorbing_provinces(data, province_codes),
    )
    translate = _UnitTranslator(data, province_codes, news)
    whole, split, findings, island_notes = _converter_edges(data, translate, ref)
    pairs = {(o, n) for o, ns in whole.items() for n in ns} | {
        (o, n) for o, ns in split.items() for n in ns
    }
    findings += _list_findings(whole, split, ref) + _pair_findings(pairs, ref)
    final = _apply_overrides(pairs, overrides, ref)
    remaining = _pair_findings(final, ref) + _coverage_findings(final, ref, island_notes)
    findings = _decide(_unique(findings + remaining), remaining, overrides)
    return CrosswalkBuild(
        rows=with_relations(final),
        findings=findings,
        generated_pairs=len(pairs),
        code_differences=translate.code_differences,
    )


def _new_province_codes(data: ConverterData) -> dict[str, str]:
    from antt.units.lists import new_province_names

    # vietnam-provinces writes "Vĩnh Long", vietnamadminunits "Tỉnh Vĩnh Long".
    def bare(name: str) -> str:
        return nfc(name).removeprefix("Tỉnh ").removeprefix("Thành phố ")

    by_name = {bare(name): code for code, name in new_province_names().items()}
    codes = {}
    for key, name in data.new_province_names.items():
        if bare(name) not in by_name:
            raise AnttError(
                f"tỉnh mới '{name}' không có trong vietnam-provinces"
                f" / new province '{name}' is not in vietnam-provinces"
            )
        codes[key] = by_name[bare(name)]
    return codes


def _absorbing_provinces(data: ConverterData, province_codes: dict[str, str]) -> dict[str, str]:
    absorbing: dict[str, str] = {}
    for new_key, old_keys in data.provinces.items():
        for old_key in old_keys:
            old_code = data.old_province_codes[old_key]
            if old_code in absorbing:
                raise AnttError(
                    f"tỉnh cũ {old_code} thuộc hai tỉnh mới / old province {old_code} is listed"
                    " under two new provinces"
                )
            absorbing[old_code] = province_codes[new_key]
    missing = sorted(set(data.old_province_codes.values()) - set(absorbing))
    if missing:
        raise AnttError(
            f"tỉnh cũ không thuộc tỉnh mới nào: {missing} / old provinces absorbed by no new"
            f" province: {missing}"
        )
    return absorbing


_TYPOGRAPHIC = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "–": "-", "—": "-"})


def _spelling_key(name: str) -> str:
    """Tone placement, case, apostrophe and dash variants are spelling, not another name
    (vietnamadminunits writes "Ea H'Leo", vietnam-provinces "Ea H’leo")."""
    return name_key(nfc(name).translate(_TYPOGRAPHIC))


class _UnitTranslator:
    """New ward key -> official code, by name within the new province (diacritics kept)."""

    def __init__(self, data: ConverterData, province_codes: dict[str, str], units: list[NewUnit]):
        self._data = data
        self._province_codes = province_codes
        self._exact: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._spelling: dict[tuple[str, str], list[str]] = defaultdict(list)
        for u in units:
            self._exact[(u.province_code, nfc(u.name))].append(u.code)
            self._spelling[(u.province_code, _spelling_key(u.name))].append(u.code)
        self.code_differences: list[tuple[str, str, str]] = []
        self._cache: dict[tuple[str, str], tuple[str | None, str]] = {}

    def __call__(self, province_key: str, ward_key: str) -> tuple[str | None, str]:
        """(official code, "") or (None, why it could not be translated)."""
        key = (province_key, ward_key)
        if key not in self._cache:
            self._cache[key] = self._translate(province_key, ward_key)
        return self._cache[key]

    def _translate(self, province_key: str, ward_key: str) -> tuple[str | None, str]:
        name = self._data.new_unit_names.get((province_key, ward_key))
        if name is None:
            return None, f"'{province_key}/{ward_key}' is not a unit of vietnamadminunits"
        province = self._province_codes[province_key]
        matches = self._exact.get((province, nfc(name))) or self._spelling.get(
            (province, _spelling_key(name)), []
        )
        if len(matches) != 1:
            return (
                None,
                f"'{name}' ({ward_key}) matches {len(matches)} units of province {province}",
            )
        code = matches[0]
        package_code = self._data.new_unit_package_codes.get((province_key, ward_key))
        if package_code != code:
            self.code_differences.append((name, package_code or "", code))
        return code, ""


def _converter_edges(data: ConverterData, translate: _UnitTranslator, ref: _Reference):
    """old code -> successors listed whole / split; findings; island-district notes per unit."""
    whole: dict[str, list[str]] = defaultdict(list)
    split: dict[str, list[str]] = defaultdict(list)
    findings: list[Finding] = []
    island_notes: dict[str, str] = {}

    def old_code(old_key: str, new_code: str | None) -> str | None:
        code = data.old_commune_codes.get(old_key)
        if code is None and old_key in data.district_without_communes and new_code:
            district = data.district_without_communes[old_key]
            island_notes[new_code] = f"the converter names {district}, a district without communes"
        elif code is None:
            findings.append(Finding("UNKNOWN_OLD_KEY", "", new_code or "", f"key '{old_key}'"))
        return code

    def new_code(province_key: str, ward_key: str, old_key: str) -> str | None:
        code, why = translate(province_key, ward_key)
        if code is None:
            old = data.old_commune_codes.get(old_key, "")
            findings.append(Finding("UNRESOLVED_NAME", old, "", f"{why}; from old key {old_key}"))
        return code

    def link(edges: dict[str, list[str]], province_key: str, ward_key: str, old_key: str) -> None:
        new = new_code(province_key, ward_key, old_key)
        old = old_code(old_key, new)
        if old and new:
            edges[old].append(new)

    for province_key, wards in data.whole.items():
        for ward_key, old_keys in wards.items():
            for old_key in old_keys:
                link(whole, province_key, ward_key, old_key)
    for province_key, olds in data.split.items():
        for old_key, ward_keys in olds.items():
            for ward_key in ward_keys:
                link(split, province_key, ward_key, old_key)
    return whole, split, findings, island_notes


def _list_findings(whole, split, ref: _Reference) -> list[Finding]:
    """Defects of the converter's own lists."""
    findings: list[Finding] = []
    for old in sorted(set(whole) & set(split)):
        findings.append(
            Finding(
                "WHOLE_AND_SPLIT",
                old,
                "",
                f"{ref.describe_old(old)}: whole into {sorted(whole[old])}, split into"
                f" {sorted(split[old])}",
            )
        )
    for old, news in sorted(whole.items()):
        if len(news) > 1:
            findings.append(
                Finding("WHOLE_TWICE", old, "", f"{ref.describe_old(old)}: {sorted(news)}")
            )
    for old, news in sorted(split.items()):
        if len(set(news)) < 2 or len(set(news)) != len(news):
            findings.append(Finding("SPLIT_INTO_ONE", old, "", f"{ref.describe_old(old)}: {news}"))
    return findings


def _pair_findings(pairs: set[tuple[str, str]], ref: _Reference) -> list[Finding]:
    """Implausible (old, new) rows: checked before the overrides and again after them."""
    findings: list[Finding] = []
    successors: dict[str, set[str]] = defaultdict(set)
    for old, new in pairs:
        successors[old].add(new)
    predecessors: dict[str, set[str]] = defaultdict(set)
    for old, new in pairs:
        predecessors[new].add(old)
    namesakes: dict[tuple[str, str], set[str]] = defaultdict(set)
    for old in {o for o, _ in pairs}:
        c = ref.old[old]
        namesakes[(ref.absorbing[c.province_code], nfc(c.name))].add(old)
    for old, new in sorted(pairs):
        c = ref.old[old]
        absorbing = ref.absorbing[c.province_code]
        if ref.new[new].province_code != absorbing:
            findings.append(
                Finding(
                    "OUTSIDE_PROVINCE",
                    old,
                    new,
                    f"{ref.describe_old(old)} -> {ref.describe_new(new)}; its province became"
                    f" {absorbing}",
                )
            )
        others = predecessors[new] - {old}
        if others and all(ref.old[o].province_code != c.province_code for o in others):
            findings.append(
                Finding(
                    "OTHER_FORMER_PROVINCE",
                    old,
                    new,
                    f"{ref.describe_old(old)} -> {ref.describe_new(new)}, whose other"
                    f" predecessors are {_describe_all(others, ref)}",
                )
            )
        twins = namesakes[(ref.absorbing[c.province_code], nfc(c.name))] - {old}
        shared = [t for t in sorted(twins) if new in predecessors and t in predecessors[new]]
        if len(successors[old]) > 1 and shared:
            findings.append(
                Finding(
                    "NAMESAKE",
                    old,
                    new,
                    f"{ref.describe_old(old)} split into {ref.describe_new(new)}, also a successor"
                    f" of {_describe_all(shared, ref)}; other predecessors of the unit:"
                    f" {_describe_all(predecessors[new] - {old, *shared}, ref)}",
                )
            )
    return findings


def _describe_all(codes, ref: _Reference) -> str:
    return "; ".join(ref.describe_old(c) for c in sorted(codes)) or "none"


def _apply_overrides(pairs: set[tuple[str, str]], overrides: list[Override], ref: _Reference):
    final = set(pairs)
    problems = []
    for o in overrides:
        pair = (o.old_code, o.new_code)
        if o.old_code and o.old_code not in ref.old:
            problems.append(f"line {o.line}: {o.old_code} is not an old commune")
        if o.new_code and o.new_code not in ref.new:
            problems.append(f"line {o.line}: {o.new_code} is not a new unit")
        if o.action == "REMOVE" and pair not in pairs:
            problems.append(f"line {o.line}: REMOVE {o.old_code} -> {o.new_code} is not generated")
        if o.action == "ADD" and pair in pairs:
            problems.append(f"line {o.line}: ADD {o.old_code} -> {o.new_code} is already generated")
    if problems:
        raise AnttError(
            "tệp hiệu chỉnh không áp dụng được / the overrides do not apply: " + "; ".join(problems)
        )
    final -= {(o.old_code, o.new_code) for o in overrides if o.action == "REMOVE"}
    final |= {(o.old_code, o.new_code) for o in overrides if o.action == "ADD"}
    return final


def _coverage_findings(final, ref: _Reference, island_notes: dict[str, str]) -> list[Finding]:
    findings = []
    successors: dict[str, set[str]] = defaultdict(set)
    for old, new in final:
        successors[old].add(new)
    predecessors = {new for _, new in final}
    for old in sorted(ref.old):
        if not successors.get(old):
            findings.append(Finding("NO_SUCCESSOR", old, "", ref.describe_old(old)))
    for new in sorted(ref.new):
        if new not in predecessors:
            note = island_notes.get(new, "")
            detail = ref.describe_new(new) + (f": {note}" if note else "")
            findings.append(Finding("NO_PREDECESSOR", "", new, detail))
    return findings


def _unique(findings: list[Finding]) -> list[Finding]:
    order = list(FINDING_KINDS)
    seen: dict[tuple[str, str, str], Finding] = {}
    for f in findings:
        seen.setdefault((f.kind, f.old_code, f.new_code), f)
    return sorted(seen.values(), key=lambda f: (order.index(f.kind), f.old_code, f.new_code))


def _decide(
    findings: list[Finding], remaining: list[Finding], overrides: list[Override]
) -> list[Finding]:
    """Attach to each finding the override line that decides it. A finding that still holds
    once the overrides are applied needs an ACCEPT line naming it; one that no longer holds was
    resolved by the line naming its codes (REMOVE/ADD), or by other lines."""
    still = {(f.kind, f.old_code, f.new_code) for f in remaining}
    decided = []
    for f in findings:
        naming = [o for o in overrides if o.decides(f.old_code, f.new_code)]
        if f.kind in SOURCE_KINDS:
            # A defect of the converter's own data stays; the line that names it decides it.
            holds, match = True, next(iter(naming), None)
        else:
            holds = (f.kind, f.old_code, f.new_code) in still
            match = next((o for o in naming if o.action == "ACCEPT" or not holds), None)
        if match:
            decision = f"{match.action} (line {match.line}): {match.reason}"
        elif not holds:
            decision = "RESOLVED: no longer holds once the overrides are applied"
        else:
            decision = ""
        decided.append(replace(f, decision=decision))
    stale = [
        o.line
        for o in overrides
        if o.action == "ACCEPT" and not any(o.decides(f.old_code, f.new_code) for f in findings)
    ]
    if stale:
        raise AnttError(
            f"dòng ACCEPT không còn phát hiện nào để quyết định: {stale} / ACCEPT lines that"
            f" decide no finding: {stale}"
        )
    return decided
