# 模板中的固定文字（简体中文）。格式见 https://projectfluent.org/fluent/guide/
# The templates' own words in Simplified Chinese; the keys are those of en.ftl.

## The layout (base.html)
skip-to-content = 跳到正文
nav-sections = 栏目
nav-announcements = 公告
nav-timeline = 时间线
nav-speakers = 发言人
nav-topics = 主题
nav-search = 搜索
nav-languages = 语言
not-translated-yet = （尚未翻译）
feed-title = { $site }：公告
sources = 来源
source = 来源：
image-credit = 图片：{ $credit }
feed-link = 公告订阅（Atom）
calendar-link = 时间线日历（iCalendar）

# Between the names of a list (speakers, a role and an organisation).
list-separator = { "、" }

## Not translated yet
untranslated-announcement = 本公告尚未翻译，以下为原文。
untranslated-profile = 本简介尚未翻译，以下为原文。
untranslated-page = 本页尚未翻译，以下为原文。

## Home
briefing = 简报
at-a-glance = 概览
glance-announcements = 项公告
glance-speakers = 位发言人
glance-topics = 个主题
glance-dates = 个不同的时间线日期
key-announcements = 主要公告
all-announcements = 全部 { $count } 项公告
key-figures = 关键数据
whole-timeline = 完整时间线

## Lists
announcements-lead = 本简报根据消息来源收录的{ $event }上的公告，最新的在前。
speakers-lead = 本简报中发言或提及的人物。
topics-lead = 按主题分类的公告。
announcement-count = 项公告
topic-announcements = { $count } 项公告

## Timeline
timeline-lead = { $count } 个日期，按时间先后排列。
precision-legend = 日期的精确程度以来源为准：标有<span class="precision">年</span>的日期只知道年份，标有<span class="precision">月</span>的只知道月份；其余日期精确到日。
years = 年份
in-figures = 数据
date-known-to = 日期精确到
precision-year = 年
precision-month = 月

## An announcement
figures = 数据
figure = 数据项
year = 年份
value = 数值
on-the-timeline = 在时间线上
draft = 草稿
embargo-banner = 禁发至 { $until }。只有此预览显示它：在此之前，构建会将其略去。
embargoed = 禁发中
speaker-label = 发言人：
topics-label = 主题
date = 日期

## Page titles and descriptions (the <title>, and what search engines and link previews show)
meta-announcements = { $event }发布的全部公告。
meta-timeline = { $event }各项公告在时间上的先后。
meta-speakers = { $event }的发言人及其宣布的内容。
meta-speaker = { $name }：在{ $event }的公告与时间线。
meta-speaker-role = { $name }（{ $role }）：在{ $event }的公告与时间线。
meta-topics = { $event }各项公告的主题。
meta-topic = { $event }上有关“{ $topic }”的公告。
meta-search = 搜索{ $event }的公告、发言人和时间线。

## Not found
error-404 = 错误 404
not-found = 找不到页面
not-found-lead = 此地址没有页面。页面可能已移动，或地址有误。
not-found-try = 请前往<a href="{ $home }">首页</a>或<a href="{ $announcements }">公告列表</a>，或<a href="{ $search }">搜索本简报</a>。

## Search
search-label = 搜索本简报的全部内容
search-button = 搜索
search-needs-javascript = 搜索需要 JavaScript，而本浏览器已将其关闭。搜索能找到的内容也都在<a href="{ $announcements }">公告</a>和<a href="{ $speakers }">发言人</a>列表以及<a href="{ $timeline }">时间线</a>上。
search-browse = 搜索能找到的内容也都在<a href="{ $announcements }">公告</a>和<a href="{ $speakers }">发言人</a>列表以及<a href="{ $timeline }">时间线</a>上。
search-unavailable = 搜索功能随发布的网站提供：此预览在构建时未生成搜索索引。如需在此试用，请运行 <code>brief build --search</code> 或 <code>brief serve --search</code>。
search-loading = 正在加载搜索索引…
search-failed = 无法加载搜索索引。请稍后再试，或使用页首的列表。
search-count-one = 找到 1 条与“%q”相关的结果。
search-count-other = 找到 %n 条与“%q”相关的结果。
search-none = 没有与“%q”相关的内容。
search-filtered = 共 %n 条结果。
search-any = 全部
search-more = 显示更多结果
search-filter-kind = 类别
search-filter-topic = 主题
search-filter-speaker = 发言人
search-filter-year = 年份
search-sort = 排序
search-sort-relevance = 最相关的在前
search-sort-date = 最新的在前
search-kind-announcement = 公告
search-kind-speaker = 发言人
search-kind-timeline = 时间线
search-kind-topic = 主题
search-kind-page = 页面
page-published = 本站发布于
page-updated = 更新于
as-of = 截至{ $date }
who-spoke = 发言人
also-named = 其他提及的人物
also-named-lead = 本简报提及但未在活动上发言的人物。
mentions-label = 另提及：
mentioned-in = 提及此人的公告
change-heading = 从{ $from }到{ $to }的变化
change-difference = 差额
change-multiple = 倍数
change-multiple-value = 为原来的{ $multiple }倍
change-rate = { $years }年的年均复合增长率
change-rate-value = 每年{ $rate }%
change-note = 由 brief 根据上列数据计算（{ $from }至{ $to }）；倍数和年增长率四舍五入到小数点后一位。
