"""The rules beyond custody that capture applies to every event, one line per capability: the
order is the order in which their problems are reported (see `kiik.custody.services.event_rules`).
"""

from __future__ import annotations

from kiik.custody.services.event_rules import RuleFactory
from kiik.custody.services.origin_rule import OriginRecorder
from kiik.custody.services.stock_count_rule import StockCounts
from kiik.enforcement.services.capture_rule import SeizedGoodsRule
from kiik.harvest.services.capture_rule import HarvestRule
from kiik.ledger.services.merkle_log import LogAppender
from kiik.partners.services.export_notice import ExportNotices
from kiik.partners.services.onward_processing import OnwardProcessing
from kiik.permits.services.capture_rule import PermitExports
from kiik.species.services.capture_rule import SpeciesRules

RULE_FACTORIES: tuple[RuleFactory, ...] = (
    HarvestRule,
    SpeciesRules,
    PermitExports,
    OriginRecorder,
    StockCounts,
    SeizedGoodsRule,
    LogAppender,
    ExportNotices,
    OnwardProcessing,
)
