# Các từ ngữ cố định của mẫu trang, bằng tiếng Việt. Định dạng: https://projectfluent.org/fluent/guide/
# The templates' own words in Vietnamese; the keys are those of en.ftl.

## The layout (base.html)
skip-to-content = Chuyển đến nội dung
nav-sections = Chuyên mục
nav-announcements = Thông báo
nav-timeline = Dòng thời gian
nav-speakers = Người phát biểu
nav-topics = Chủ đề
nav-search = Tìm kiếm
nav-languages = Ngôn ngữ
not-translated-yet = (chưa được dịch)
feed-title = { $site }: thông báo
sources = Nguồn
source = Nguồn:
image-credit = Ảnh: { $credit }
feed-link = Nguồn cấp thông báo (Atom)
calendar-link = Lịch dòng thời gian (iCalendar)

# Between the names of a list (speakers, a role and an organisation).
list-separator = { ", " }

## Not translated yet
untranslated-announcement = Thông báo này chưa được dịch: nội dung được hiển thị bằng ngôn ngữ gốc.
untranslated-profile = Hồ sơ này chưa được dịch: nội dung được hiển thị bằng ngôn ngữ gốc.
untranslated-page = Trang này chưa được dịch: nội dung được hiển thị bằng ngôn ngữ gốc.

## Home
briefing = Bản tin
at-a-glance = Tóm lược
glance-announcements = thông báo
glance-speakers = người phát biểu
glance-topics = chủ đề
glance-dates = mốc thời gian khác nhau trên dòng thời gian
key-announcements = Thông báo chính
all-announcements = Tất cả { $count } thông báo
key-figures = Số liệu chính
whole-timeline = Toàn bộ dòng thời gian

## Lists
announcements-lead = Các thông báo tại { $event } mà bản tin này đề cập, theo các nguồn tin, mới nhất trước.
speakers-lead = Những người đã phát biểu, hoặc được nhắc đến, trong bản tin này.
topics-lead = Các thông báo theo chủ đề.
announcement-count = thông báo
topic-announcements = { $count } thông báo

## Timeline
timeline-lead = { $count } mốc thời gian, cũ nhất trước.
precision-legend = Ngày tháng chính xác đến mức nguồn cho phép: <span class="precision">năm</span> đánh dấu một mốc chỉ biết năm, <span class="precision">tháng</span> một mốc chỉ biết tháng; các mốc còn lại là ngày cụ thể.
years = Năm
in-figures = Qua số liệu
date-known-to = mốc chỉ biết đến
precision-year = năm
precision-month = tháng

## An announcement
figures = Số liệu
figure = Chỉ số
year = Năm
value = Giá trị
on-the-timeline = Trên dòng thời gian
draft = Bản nháp
embargo-banner = Cấm đăng đến { $until }. Chỉ bản xem trước này hiển thị mục này: trước thời điểm đó, bản dựng sẽ bỏ nó ra.
embargoed = Đang cấm đăng
speaker-label = Người phát biểu:
topics-label = Chủ đề
date = Ngày

## Page titles and descriptions (the <title>, and what search engines and link previews show)
meta-announcements = Mọi thông báo được đưa ra tại { $event }.
meta-timeline = Các thông báo tại { $event } theo trình tự thời gian.
meta-speakers = Những người phát biểu tại { $event } và những gì họ công bố.
meta-speaker = { $name } tại { $event }: thông báo và dòng thời gian.
meta-speaker-role = { $name }, { $role }, tại { $event }: thông báo và dòng thời gian.
meta-topics = Các chủ đề của những thông báo tại { $event }.
meta-topic = Các thông báo về { $topic } tại { $event }.
meta-search = Tìm kiếm thông báo, người phát biểu và dòng thời gian của { $event }.

## Not found
error-404 = Lỗi 404
not-found = Không tìm thấy trang
not-found-lead = Không có trang nào ở địa chỉ này. Trang có thể đã được chuyển đi, hoặc địa chỉ bị gõ sai.
not-found-try = Hãy thử <a href="{ $home }">trang chủ</a> hoặc <a href="{ $announcements }">danh sách thông báo</a>, hoặc <a href="{ $search }">tìm kiếm trong bản tin</a>.

## Search
search-label = Tìm trong toàn bộ nội dung của bản tin
search-button = Tìm kiếm
search-needs-javascript = Tìm kiếm cần JavaScript, vốn đang bị tắt trong trình duyệt này. Mọi nội dung tìm được cũng có trong danh sách <a href="{ $announcements }">thông báo</a> và <a href="{ $speakers }">người phát biểu</a> và trên <a href="{ $timeline }">dòng thời gian</a>.
search-browse = Mọi nội dung tìm được cũng có trong danh sách <a href="{ $announcements }">thông báo</a> và <a href="{ $speakers }">người phát biểu</a> và trên <a href="{ $timeline }">dòng thời gian</a>.
search-unavailable = Tìm kiếm đi kèm với trang đã xuất bản: bản xem trước này được dựng mà không có chỉ mục tìm kiếm. Để thử tại đây, hãy chạy <code>brief build --search</code> hoặc <code>brief serve --search</code>.
search-loading = Đang tải chỉ mục tìm kiếm…
search-failed = Không tải được chỉ mục tìm kiếm. Hãy thử lại sau, hoặc dùng các danh sách ở đầu trang.
search-count-one = Một kết quả cho “%q”.
search-count-other = %n kết quả cho “%q”.
search-none = Không có kết quả nào cho “%q”.
search-filtered = %n kết quả.
search-any = Tất cả
search-more = Xem thêm kết quả
search-filter-kind = Loại
search-filter-topic = Chủ đề
search-filter-speaker = Người phát biểu
search-filter-year = Năm
search-sort = Thứ tự
search-sort-relevance = Phù hợp nhất trước
search-sort-date = Mới nhất trước
search-kind-announcement = Thông báo
search-kind-speaker = Người phát biểu
search-kind-timeline = Dòng thời gian
search-kind-topic = Chủ đề
search-kind-page = Trang
page-published = Đăng trên trang này
page-updated = Cập nhật
as-of = tính đến { $date }
who-spoke = Người phát biểu
also-named = Những người khác được nhắc đến
also-named-lead = Những người được bản tin nhắc đến nhưng không phát biểu tại sự kiện.
mentions-label = Cũng nhắc đến:
mentioned-in = Được nhắc đến trong
change-heading = Thay đổi từ { $from } đến { $to }
change-difference = Chênh lệch
change-multiple = Bội số
change-multiple-value = gấp { $multiple } lần
change-rate = Tốc độ tăng trưởng kép hằng năm trong { $years } năm
change-rate-value = { $rate }% mỗi năm
change-note = Do brief tính từ các số liệu trên, từ { $from } đến { $to }; bội số và tốc độ hằng năm được làm tròn đến một chữ số thập phân.
