"""The interchange formats of shared/interchange.md: records, validation, JSON Lines and CSV.

Pure Python (no Flask, no database): the CLI imports, the API and the benchmark harness all
read and write experts and projects through this package.
"""

from diaspora.interchange.encoding import expert_to_dict, project_to_dict
from diaspora.interchange.files import (
    count_lines,
    read_records,
    write_experts,
    write_projects,
)
from diaspora.interchange.parsing import parse_expert, parse_project
from diaspora.interchange.records import (
    ExpertRecord,
    ExpertSkillRecord,
    LanguageLevel,
    ProjectRecord,
    ProjectSkillRecord,
    RecordError,
    Residence,
)

__all__ = [
    "ExpertRecord",
    "ExpertSkillRecord",
    "LanguageLevel",
    "ProjectRecord",
    "ProjectSkillRecord",
    "RecordError",
    "Residence",
    "count_lines",
    "expert_to_dict",
    "parse_expert",
    "parse_project",
    "project_to_dict",
    "read_records",
    "write_experts",
    "write_projects",
]
