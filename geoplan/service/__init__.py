"""The only door for the pages and the command line: numbers, codes and frames from the register.

Everything a page or ``geoplan`` command needs is a name in ``__all__``.  The submodules are
loaded on first use (PEP 562), so the map page does not pay for PuLP or the importers.
"""

from __future__ import annotations

import importlib
from typing import Any

# name -> submodule of geoplan.service that defines it
_EXPORTS: dict[str, str] = {
    # area systems
    "PREFERRED_SYSTEMS": "systems", "preferred_system": "systems", "default_system": "systems",
    "resolve_system": "systems",
    # errors a caller may catch
    "ImportRefused": "errors", "PolicyError": "errors", "Problem": "errors",
    "PROBLEM_CODES": "errors",
    # output
    "json_ready": "output",
    # demand as a flow over time, per target group (aggregates only)
    "DemandOutlook": "demand", "demand_outlook": "demand", "MAX_HORIZON": "demand",
    # the dashboard, the presentation and the meeting papers (area aggregates only)
    "Dashboard": "public", "dashboard": "public", "PUBLIC_AREA_COLUMNS": "public",
    # the public mode (GEOPLAN_PUBLIC): only access.PUBLIC_NAMES resolve, the rest refuse
    "PublicModeError": "access", "public_mode": "access", "PUBLIC_NAMES": "access",
    # users, roles and the acting user (geoplan.roles)
    "users": "accounts", "user_role": "accounts", "actor_for": "accounts",
    "add_user": "accounts", "remove_user": "accounts", "local_actor": "accounts",
    "Actor": "accounts", "AccessDenied": "accounts", "ROLES": "accounts",
    "app_actor": "accounts",
    # the append-only, hash-chained audit trail (geoplan audit, the admin page)
    "record_sign_in": "audit", "record_export": "audit", "audit_trail": "audit",
    "verify_audit": "audit", "AuditCheck": "audit", "AUDIT_ACTIONS": "audit",
    # backup and restore of every table (geoplan backup / restore)
    "backup": "backups", "restore": "backups", "check_backup": "backups",
    "BackupSummary": "backups", "ArchiveError": "backups", "WriterBusy": "backups",
    # the database
    "engine": "database", "reset_engines": "database", "database_url": "database",
    "database_label": "database",
    # the register and its settings
    "units": "register", "areas": "register", "area_systems": "register",
    "unit_types": "register", "add_unit_type": "register", "municipality": "register",
    "policy": "register", "set_policy": "register", "unit_history": "register",
    "dispose_unit": "register", "data_version": "register", "parse_date": "register",
    # imports (one dispatcher for every kind of file), candidate files, exports, the demo
    "IMPORTERS": "imports", "Importer": "imports", "ImportSummary": "imports",
    "MISSING_CHOICES": "imports",
    "import_file": "imports", "import_bytes": "imports", "read_candidates": "imports",
    "read_candidate_bytes": "imports",
    "EXPORT_FORMATS": "exports", "export_units": "exports", "export_areas": "exports",
    "export_bytes": "exports", "write_table": "exports", "table_bytes": "exports",
    "neutralise": "exports",
    "load_demo": "demo", "ensure_demo": "demo", "demo_files": "demo",
    # starting on your own municipality: init, reset, and whether the database is empty
    "init_municipality": "setup", "reset_database": "setup", "setup_state": "setup",
    "SetupState": "setup", "SetupRefused": "setup", "ResetSummary": "setup",
    "SETUP_CODES": "setup", "backup_folder": "setup",
    # concentration: results, flags, indices and the trend (numbers and codes only)
    "concentration_result": "concentration", "Concentration": "concentration",
    "flagged": "concentration", "proximity": "concentration", "DEFAULT_RADII": "concentration",
    "trend": "concentration", "trend_change": "concentration",
    "trend_statement": "concentration", "TrendStatement": "concentration",
    "INDEX_SPECS": "indices", "INDEX_BY_KEY": "indices", "IndexSpec": "indices",
    "EXCLUSION_REASONS": "concentration",
    "CLUSTER_CODES": "concentration", "CORRECTIONS": "concentration",
    "DEFAULT_CORRECTION": "concentration", "ISLAND_RULES": "concentration",
    # purchase testing, where to buy and the plan (numbers, codes and Reason data)
    "METRICS": "purchase", "VERDICTS": "purchase", "WHAT_IF_INDICES": "purchase",
    "Baseline": "purchase", "Plan": "purchase", "Shortfall": "purchase", "Reason": "purchase",
    "PlanError": "purchase",
    "baseline": "purchase", "remaining_budget": "purchase", "evaluate_point": "purchase",
    "evaluate_sale": "purchase", "evaluation_dict": "purchase", "rank": "purchase",
    "rank_file": "purchase", "plan": "purchase", "plan_file": "purchase", "where": "purchase",
    "plan_gap": "purchase", "plan_over_years": "purchase", "plan_projection": "purchase",
    "PLAN_MAX_YEARS": "purchase",
    "building_at_address": "purchase", "search_addresses": "purchase",
    "address_index": "purchase", "budget_status": "purchase", "BudgetStatus": "purchase",
    "RANK_ORDER": "purchase", "REASON_GROUPS": "purchase", "reason_group": "purchase",
    # scenarios: drafts of purchases and sales, stored apart from the register
    "TODAY": "scenarios", "save_scenario": "scenarios", "scenario_names": "scenarios",
    "load_scenario": "scenarios", "delete_scenario": "scenarios",
    "scenario_outcome": "scenarios", "compare_scenarios": "scenarios",
    "record_purchase": "scenarios", "save_plan": "scenarios", "scenario_settings": "scenarios",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Resolve ``name`` from its submodule; in the public mode refuse all but PUBLIC_NAMES.

    The guard of the public mode is here, once (see :mod:`geoplan.service.access`): a name that
    is refused or replaced in the public mode is never cached, so it is checked on every lookup.
    """
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'geoplan.service' has no attribute '{name}'")
    from geoplan.service import access

    value = access.resolve(
        name, lambda: getattr(importlib.import_module(f"geoplan.service.{module}"), name))
    if access.cacheable(name):
        globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
