"""nianbao: turn 政府信息公开工作年度报告 into checked records and a static site."""

__version__ = "0.1.0"
