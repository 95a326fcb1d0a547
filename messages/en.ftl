# The templates' own words in English. Each language has a file like this one (zh.ftl, vi.ftl),
# in Project Fluent's format: https://projectfluent.org/fluent/guide/
# Templates print a message with {{ msg['nav-announcements'] }}, or, when it takes values, with
# {{ t(key="glance-announcements", count=3) }}: values are passed by name, and numbers choose the
# plural form.

## The layout (base.html)
skip-to-content = Skip to content
nav-sections = Sections
nav-announcements = Announcements
nav-timeline = Timeline
nav-speakers = Speakers
nav-topics = Topics
nav-search = Search
nav-languages = Languages
not-translated-yet = (not translated yet)
feed-title = { $site }: announcements
sources = Sources
source = Source:
image-credit = Photo: { $credit }
feed-link = Announcements feed (Atom)
calendar-link = Timeline calendar (iCalendar)

# Between the names of a list (speakers, a role and an organisation).
list-separator = { ", " }

## Not translated yet
untranslated-announcement = This announcement is not translated yet: it is shown in its original language.
untranslated-profile = This profile is not translated yet: it is shown in its original language.
untranslated-page = This page is not translated yet: it is shown in its original language.

## Home
briefing = Briefing
at-a-glance = At a glance
glance-announcements = { $count ->
    [one] announcement
   *[other] announcements
}
glance-speakers = { $count ->
    [one] speaker
   *[other] speakers
}
glance-topics = { $count ->
    [one] topic
   *[other] topics
}
glance-dates = { $count ->
    [one] date on the timeline
   *[other] distinct dates on the timeline
}
key-announcements = Key announcements
all-announcements = { $count ->
    [one] All { $count } announcement
   *[other] All { $count } announcements
}
key-figures = Key figures
whole-timeline = The whole timeline

## Lists
announcements-lead = The announcements at the { $event } that this briefing covers, as its sources report them, newest first.
speakers-lead = Who spoke, or is named, in this briefing.
topics-lead = The announcements by subject.
announcement-count = { $count ->
    [one] announcement
   *[other] announcements
}
topic-announcements = { $count ->
    [one] { $count } announcement
   *[other] { $count } announcements
}

## Timeline
timeline-lead = { $count ->
    [one] { $count } date, oldest first.
   *[other] { $count } dates, oldest first.
}
precision-legend = Dates are as precise as the sources allow: <span class="precision">year</span> marks a date known only to the year, <span class="precision">month</span> one known only to the month; the other dates are exact days.
years = Years
in-figures = In figures
date-known-to = date known to the
precision-year = year
precision-month = month

## An announcement
figures = Figures
figure = Figure
year = Year
value = Value
on-the-timeline = On the timeline
draft = Draft
# Only `brief serve` shows these, on items whose embargo has not lifted; a build leaves them out.
embargo-banner = Under embargo until { $until }. Only this preview shows it: a build leaves it out until then.
embargoed = Under embargo
speaker-label = { $count ->
    [one] Speaker:
   *[other] Speakers:
}
topics-label = Topics
date = Date

## Page titles and descriptions (the <title>, and what search engines and link previews show)
meta-announcements = Every announcement made at the { $event }.
meta-timeline = How the announcements of the { $event } fit in time.
meta-speakers = Who spoke at the { $event }, and what they announced.
meta-speaker = { $name } at the { $event }: announcements and timeline.
meta-speaker-role = { $name }, { $role }, at the { $event }: announcements and timeline.
meta-topics = The topics of the announcements at the { $event }.
meta-topic = Announcements about { $topic } at the { $event }.
meta-search = Search the announcements, speakers and timeline of the { $event }.

## Not found
error-404 = Error 404
not-found = Page not found
not-found-lead = There is no page at this address. It may have moved, or the address may be mistyped.
not-found-try = Try the <a href="{ $home }">home page</a> or the <a href="{ $announcements }">list of announcements</a>, or <a href="{ $search }">search the briefing</a>.

## Search
search-label = Search everything the briefing says
search-button = Search
search-needs-javascript = Search needs JavaScript, which is turned off in this browser. Everything it finds is also on the lists of <a href="{ $announcements }">announcements</a> and <a href="{ $speakers }">speakers</a> and on the <a href="{ $timeline }">timeline</a>.
search-browse = Everything it would find is also on the lists of <a href="{ $announcements }">announcements</a> and <a href="{ $speakers }">speakers</a> and on the <a href="{ $timeline }">timeline</a>.
search-unavailable = Search comes with the published site: this preview was built without its index. To try it here, run <code>brief build --search</code> or <code>brief serve --search</code>.
search-loading = Loading the search index…
search-failed = The search index could not be loaded. Try again later, or use the lists below the header.
# In the next three, %n is replaced by the number of results and %q by the query.
search-count-one = One result for “%q”.
search-count-other = %n results for “%q”.
search-none = Nothing matches “%q”.
# Shown when only filters are set, without words: %n is the number of results.
search-filtered = %n results.
search-any = Any
search-more = Show more results
search-filter-kind = Kind
search-filter-topic = Topic
search-filter-speaker = Speaker
search-filter-year = Year
search-sort = Order
search-sort-relevance = Best match first
search-sort-date = Newest first
# The kinds of result, as the filter and each result show them.
search-kind-announcement = Announcement
search-kind-speaker = Speaker
search-kind-timeline = Timeline
search-kind-topic = Topic
search-kind-page = Page
page-published = Published on this site
page-updated = Updated
as-of = as of { $date }
who-spoke = Who spoke
also-named = Also named
also-named-lead = People the briefing names who did not speak at the event.
mentions-label = Also named:
mentioned-in = Named in
change-heading = Change from { $from } to { $to }
change-difference = Difference
change-multiple = Multiple
change-multiple-value = { $multiple } times as much
change-rate = { $years ->
    [one] Growth in { $years } year
   *[other] Compound annual growth over { $years } years
}
change-rate-value = { $rate }% a year
change-note = Computed by brief from the figures above, { $from } to { $to }; the multiple and the yearly rate are rounded to one decimal place.
