"""The one scoping rule: which areas and technical units a user reaches.

Every scoped QuerySet's `visible_to(user)` builds its filter here, so a list and a detail page
can never disagree about what an official may see.
"""

from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Reach:
    """What one user reaches, read once per request from their assignments."""

    everything: bool = False
    roles: frozenset[str] = frozenset()
    area_codes: tuple[str, ...] = ()  # roots of the area subtrees held through area assignments
    unit_ids: tuple[int, ...] = ()  # technical units served (UKPD officers)
    unit_kota_codes: tuple[str, ...] = ()  # the kota each of those units serves
    role_area_codes: tuple[tuple[str, str], ...] = ()  # (role, area code) of each assignment
    area_keys: tuple[tuple[str, str, int], ...] = ()  # (area code, level, id) of those areas
    dapil_ids: tuple[int, ...] = ()  # the dapils of a DPRD member

    def codes_for(self, roles) -> tuple[str, ...]:
        """The roots of the subtrees the user reaches through the given roles."""
        return _roots(code for role, code in self.role_area_codes if role in roles)

    def holds(self, role: str, code: str) -> bool:
        """Whether the user holds `role` over the area `code` (or an area above it)."""
        return self.everything or any(
            code == root or code.startswith(root + ".") for root in self.codes_for({role})
        )


NOTHING = Q(pk__in=[])


def reach(user) -> Reach:
    """The user's reach, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Reach()
    cached = getattr(user, "_reach_cache", None)
    if cached is not None:
        return cached
    assignments = list(user.assignments.select_related("area", "unit__kota"))
    # (role, area) pairs: a DPRD member reaches the kecamatan of their dapil, not its whole kota.
    held = [(a.role, a.area) for a in assignments if a.area_id and not a.dapil_id]
    held += _dapil_areas(a for a in assignments if a.dapil_id)
    result = Reach(
        everything=user.is_superuser,
        roles=frozenset(a.role for a in assignments),
        area_codes=_roots(area.code for _role, area in held),
        unit_ids=tuple(sorted({a.unit_id for a in assignments if a.unit_id})),
        unit_kota_codes=_roots(a.unit.kota.code for a in assignments if a.unit_id),
        role_area_codes=tuple((role, area.code) for role, area in held),
        area_keys=tuple(sorted({(area.code, area.level, area.pk) for _role, area in held})),
        dapil_ids=tuple(sorted({a.dapil_id for a in assignments if a.dapil_id})),
    )
    user._reach_cache = result
    user._assignments_cache = assignments
    return result


def _dapil_areas(dapil_assignments) -> list:
    """(role, kecamatan) for each kecamatan of each DPRD assignment's dapil: one query, and
    none for a user without such an assignment."""
    by_dapil = {a.dapil_id: a.role for a in dapil_assignments}
    if not by_dapil:
        return []
    from areas.models import Area  # areas.models builds its QuerySets on this module

    through = Area.dapils_in.through.objects.filter(dapil_id__in=by_dapil).select_related("area")
    return [(by_dapil[link.dapil_id], link.area) for link in through]


def assignments(user) -> list:
    """The user's assignments with their areas and units, read once with their reach."""
    reach(user)
    return getattr(user, "_assignments_cache", [])


def forget(user) -> None:
    """Drop the cached reach after the user's assignments changed."""
    user.__dict__.pop("_reach_cache", None)
    user.__dict__.pop("_assignments_cache", None)


def _roots(codes) -> tuple[str, ...]:
    """Distinct codes with those lying inside another one dropped."""
    roots: list[str] = []
    for code in sorted(set(codes)):
        if not any(code == r or code.startswith(r + ".") for r in roots):
            roots.append(code)
    return tuple(roots)


def subtree_q(path: str, code: str) -> Q:
    """Objects whose area (reached through the lookup `path`) is `code` or lies under it."""
    prefix = f"{path}__" if path else ""
    return Q(**{f"{prefix}code": code}) | Q(**{f"{prefix}code__startswith": code + "."})


def _any_subtree(path: str, codes) -> Q:
    q = NOTHING
    for code in codes:
        q |= subtree_q(path, code)
    return q


def area_q(user, area: str, *, unit: str | None = None, roles=None) -> Q:
    """Filter for a model whose area is at lookup `area` ("" for Area itself).

    A model that names its technical unit (`unit`) is visible to a UKPD officer only when it is
    assigned to one of their units; a model without one is visible across their unit's kota.
    With `roles`, only the assignments of those roles count (who may act, not only see).
    """
    r = reach(user)
    if r.everything:
        return Q()
    if roles is None:
        q = _any_subtree(area, r.area_codes)
    else:
        q = _any_subtree(area, r.codes_for(roles))
    if roles is not None and "ukpd" not in roles:
        return q
    if unit is not None:
        if r.unit_ids:
            q |= Q(**{f"{unit}__in": r.unit_ids})
    else:
        q |= _any_subtree(area, r.unit_kota_codes)
    return q


def levels_q(user, *, unit: str, roles=None) -> Q:
    """Filter for a model that keeps its area at every level (`kota`, `kecamatan`, `kelurahan`,
    `rw`), as proposals do: the same reach as `area_q`, tested on the row's own foreign keys.

    An index on (kota, code) then serves a planning officer's newest-first page directly,
    where a join on the RW's code would walk the proposals of every other kota first.
    """
    r = reach(user)
    if r.everything:
        return Q()
    roots = r.area_codes if roles is None else r.codes_for(roles)
    ids: dict[str, list[int]] = {}
    for code, level, pk in r.area_keys:
        if code in roots:
            ids.setdefault(level, []).append(pk)
    q = NOTHING
    for level, pks in ids.items():  # assignments lie at kota level or below (ROLE_LEVEL)
        q |= Q(**{f"{level}_id__in": pks})
    if (roles is None or "ukpd" in roles) and r.unit_ids:
        q |= Q(**{f"{unit}__in": r.unit_ids})
    return q


def drafts_q(user, *, draft: Q, owner: str, unit: str) -> Q:
    """Filter for unfinished work (the rows `draft` matches), to go with `levels_q`: a draft
    belongs to whoever writes it, the `owner` role in its own area (an RW's proposal until it is
    submitted). Nobody above sees it, not even the planning office; the superuser, who
    administers, does."""
    r = reach(user)
    if r.everything or r.roles <= {owner}:
        return Q()  # nothing the user reaches belongs to someone else
    return ~draft | levels_q(user, unit=unit, roles={owner})


def _kota_q(prefix: str, codes) -> Q:
    """Objects of the kota containing each code (every kota, for a provinsi-level code)."""
    q = NOTHING
    for code in codes:
        parts = code.split(".")
        if len(parts) >= 2:
            q |= Q(**{f"{prefix}code": ".".join(parts[:2])})
        else:
            q |= Q(**{f"{prefix}code__startswith": code + "."})
    return q


def kota_q(user, path: str) -> Q:
    """Filter for objects that belong to a whole kota (a cycle, say), at lookup `path`.

    Everyone who works in the kota sees them, whatever their level.
    """
    r = reach(user)
    if r.everything:
        return Q()
    return _kota_q(f"{path}__", r.area_codes + r.unit_kota_codes)


def unit_q(user, path: str) -> Q:
    """Filter for technical units (at lookup `path`, "" for TechnicalUnit itself).

    A unit serves one kota; officials see the units of the kota they work in, UKPD officers
    their own units.
    """
    r = reach(user)
    if r.everything:
        return Q()
    prefix = f"{path}__" if path else ""
    q = Q(**{f"{prefix}pk__in": r.unit_ids}) if r.unit_ids else NOTHING
    return q | _kota_q(f"{prefix}kota__", r.area_codes)
