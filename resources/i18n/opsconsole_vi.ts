<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>Alarm</name>
    <message>
        <source>low</source>
        <translation>thấp</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>trung bình</translation>
    </message>
    <message>
        <source>high</source>
        <translation>cao</translation>
    </message>
    <message>
        <source>active, unacknowledged</source>
        <translation>đang xảy ra, chưa xác nhận</translation>
    </message>
    <message>
        <source>active, acknowledged</source>
        <translation>đang xảy ra, đã xác nhận</translation>
    </message>
    <message>
        <source>cleared, unacknowledged</source>
        <translation>đã hết, chưa xác nhận</translation>
    </message>
    <message>
        <source>shelved</source>
        <translation>tạm gác</translation>
    </message>
    <message>
        <source>out of service</source>
        <translation>ngừng giám sát</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>bình thường</translation>
    </message>
    <message>
        <source>high level</source>
        <translation>mức cao</translation>
    </message>
    <message>
        <source>low level</source>
        <translation>mức thấp</translation>
    </message>
    <message>
        <source>rising fast</source>
        <translation>tăng nhanh</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>mất tín hiệu</translation>
    </message>
    <message>
        <source>stuck value</source>
        <translation>giá trị đứng yên</translation>
    </message>
    <message>
        <source>log disk space</source>
        <translation>dung lượng đĩa nhật ký</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Hệ thống</translation>
    </message>
    <message>
        <source>activated</source>
        <translation>bắt đầu</translation>
    </message>
    <message>
        <source>cleared</source>
        <translation>kết thúc</translation>
    </message>
    <message>
        <source>severity changed</source>
        <translation>đổi mức độ</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>xác nhận</translation>
    </message>
    <message>
        <source>unshelved</source>
        <translation>bỏ tạm gác</translation>
    </message>
    <message>
        <source>back in service</source>
        <translation>giám sát lại</translation>
    </message>
</context>
<context>
    <name>AlarmBanner</name>
    <message>
        <source>Silence (Ctrl+M)</source>
        <translation>Tắt chuông (Ctrl+M)</translation>
    </message>
    <message>
        <source>unacknowledged: %1</source>
        <translation>chưa xác nhận: %1</translation>
    </message>
    <message>
        <source>No unacknowledged alarms</source>
        <translation>Không có cảnh báo chưa xác nhận</translation>
    </message>
    <message>
        <source>%1 new alarms (%2 in %3): %4</source>
        <translation>%1 cảnh báo mới (%2 ở %3): %4</translation>
    </message>
</context>
<context>
    <name>AlarmPanel</name>
    <message>
        <source>Note (optional)</source>
        <translation>Ghi chú (không bắt buộc)</translation>
    </message>
    <message>
        <source>Acknowledge (Ctrl+K)</source>
        <translation>Xác nhận (Ctrl+K)</translation>
    </message>
    <message>
        <source>Acknowledge all (Ctrl+Shift+K)</source>
        <translation>Xác nhận tất cả (Ctrl+Shift+K)</translation>
    </message>
    <message>
        <source>Shelving reason (required)</source>
        <translation>Lý do tạm gác (bắt buộc)</translation>
    </message>
    <message>
        <source>Shelve</source>
        <translation>Tạm gác</translation>
    </message>
    <message>
        <source>Unshelve</source>
        <translation>Bỏ tạm gác</translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation>Ngừng giám sát</translation>
    </message>
    <message>
        <source>Return to service</source>
        <translation>Giám sát lại</translation>
    </message>
    <message>
        <source>Search the journal: feed id, user, note, event</source>
        <translation>Tìm trong nhật ký: mã nguồn, người dùng, ghi chú, sự kiện</translation>
    </message>
    <message>
        <source>All severities</source>
        <translation>Mọi mức độ</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>1 giờ qua</translation>
    </message>
    <message>
        <source>Last 24 h</source>
        <translation>24 giờ qua</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 ngày qua</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tất cả</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Tìm</translation>
    </message>
    <message>
        <source>Current alarms</source>
        <translation>Cảnh báo hiện tại</translation>
    </message>
    <message>
        <source>Journal</source>
        <translation>Nhật ký cảnh báo</translation>
    </message>
    <message>
        <source>Select alarms first.</source>
        <translation>Hãy chọn cảnh báo trước.</translation>
    </message>
    <message>
        <source>Acknowledged %1 of %2 selected.</source>
        <translation>Đã xác nhận %1 trên %2 cảnh báo đã chọn.</translation>
    </message>
    <message>
        <source>Shelving needs a reason.</source>
        <translation>Tạm gác cần có lý do.</translation>
    </message>
    <message>
        <source>Taking an alarm out of service needs a reason.</source>
        <translation>Ngừng giám sát cần có lý do.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>%1 entries</source>
        <translation>%1 mục</translation>
    </message>
</context>
<context>
    <name>AlarmTableModel</name>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Từ lúc</translation>
    </message>
    <message>
        <source>Feed</source>
        <translation>Nguồn dữ liệu</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>Khu vực</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <source>Acknowledged by</source>
        <translation>Người xác nhận</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
</context>
<context>
    <name>FeedKind</name>
    <message>
        <source>River level</source>
        <translation>Mực nước sông</translation>
    </message>
    <message>
        <source>Rainfall</source>
        <translation>Lượng mưa</translation>
    </message>
    <message>
        <source>Air quality (PM2.5)</source>
        <translation>Chất lượng không khí (PM2.5)</translation>
    </message>
    <message>
        <source>Traffic flow</source>
        <translation>Lưu lượng giao thông</translation>
    </message>
    <message>
        <source>Traffic speed</source>
        <translation>Tốc độ giao thông</translation>
    </message>
    <message>
        <source>CCTV events</source>
        <translation>Sự kiện camera</translation>
    </message>
</context>
<context>
    <name>FeedState</name>
    <message>
        <source>good</source>
        <translation>tốt</translation>
    </message>
    <message>
        <source>uncertain</source>
        <translation>không chắc chắn</translation>
    </message>
    <message>
        <source>bad</source>
        <translation>hỏng</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>mất tín hiệu</translation>
    </message>
    <message>
        <source>never reported</source>
        <translation>chưa có dữ liệu</translation>
    </message>
</context>
<context>
    <name>FeedTreeModel</name>
    <message>
        <source>Feed</source>
        <translation>Nguồn dữ liệu</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Cách đây</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Chất lượng</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Mã</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>Last hour</source>
        <translation>1 giờ qua</translation>
    </message>
    <message>
        <source>Last 24 h</source>
        <translation>24 giờ qua</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 ngày qua</translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation>Tùy chọn…</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Tải</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Xuất CSV…</translation>
    </message>
    <message>
        <source>Remove feed</source>
        <translation>Bỏ nguồn</translation>
    </message>
    <message>
        <source>Feeds (Ctrl+H adds the selected ones)</source>
        <translation>Nguồn dữ liệu (Ctrl+H để thêm nguồn đang chọn)</translation>
    </message>
    <message>
        <source>Add feeds first.</source>
        <translation>Hãy thêm nguồn dữ liệu trước.</translation>
    </message>
    <message>
        <source>The end must be after the start.</source>
        <translation>Thời điểm kết thúc phải sau thời điểm bắt đầu.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Lỗi: %1</translation>
    </message>
    <message>
        <source>min/max/mean per bucket</source>
        <translation>nhỏ nhất/lớn nhất/trung bình theo khoảng</translation>
    </message>
    <message>
        <source>raw readings</source>
        <translation>số đo gốc</translation>
    </message>
    <message>
        <source>%1 points, %2</source>
        <translation>%1 điểm, %2</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Xuất CSV</translation>
    </message>
    <message>
        <source>Exported %1 rows to %2</source>
        <translation>Đã xuất %1 dòng ra %2</translation>
    </message>
</context>
<context>
    <name>JournalModel</name>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Feed</source>
        <translation>Nguồn dữ liệu</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Sự kiện</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Search feeds by id or name (Ctrl+F)</source>
        <translation>Tìm nguồn theo mã hoặc tên (Ctrl+F)</translation>
    </message>
    <message>
        <source>Feeds</source>
        <translation>Nguồn dữ liệu</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Lịch sử</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Xem</translation>
    </message>
    <message>
        <source>Add selected feeds to tiles</source>
        <translation>Thêm nguồn đang chọn vào ô hiển thị</translation>
    </message>
    <message>
        <source>Add selected feeds to trend</source>
        <translation>Thêm nguồn đang chọn vào biểu đồ</translation>
    </message>
    <message>
        <source>Show history of selected feeds</source>
        <translation>Xem lịch sử nguồn đang chọn</translation>
    </message>
    <message>
        <source>Search feeds</source>
        <translation>Tìm nguồn dữ liệu</translation>
    </message>
    <message>
        <source>Follow / pause trend</source>
        <translation>Theo dõi / tạm dừng biểu đồ</translation>
    </message>
    <message>
        <source>&amp;Alarms</source>
        <translation>&amp;Cảnh báo</translation>
    </message>
    <message>
        <source>Acknowledge selected alarms</source>
        <translation>Xác nhận cảnh báo đang chọn</translation>
    </message>
    <message>
        <source>Acknowledge all shown alarms</source>
        <translation>Xác nhận tất cả cảnh báo đang hiển thị</translation>
    </message>
    <message>
        <source>Next unacknowledged alarm</source>
        <translation>Cảnh báo chưa xác nhận tiếp theo</translation>
    </message>
    <message>
        <source>Silence</source>
        <translation>Tắt chuông</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Ngôn ngữ</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Tệp</translation>
    </message>
    <message>
        <source>Language saved: restart the console to apply it.</source>
        <translation>Đã lưu ngôn ngữ: khởi động lại phần mềm để áp dụng.</translation>
    </message>
    <message>
        <source>Not added: the trend shows at most two units and ten feeds (%1 is in %2).</source>
        <translation>Không thêm được: biểu đồ chỉ hiển thị tối đa hai đơn vị và mười nguồn (%1 đo bằng %2).</translation>
    </message>
    <message>
        <source>NO DATA for %1</source>
        <translation>MẤT TÍN HIỆU %1</translation>
    </message>
</context>
<context>
    <name>RejectsDialog</name>
    <message>
        <source>Rejected input</source>
        <translation>Dữ liệu bị từ chối</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Số lượng</translation>
    </message>
    <message>
        <source>Last sample</source>
        <translation>Mẫu gần nhất</translation>
    </message>
    <message>
        <source>Readings and messages refused by the console, by reason (docs/PROTOCOL.md §1.5).</source>
        <translation>Số đo và bản tin bị từ chối, theo lý do (docs/PROTOCOL.md §1.5).</translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message>
        <source>Log: %1</source>
        <translation>Nhật ký: %1</translation>
    </message>
    <message>
        <source>Ingest: %1 readings/s</source>
        <translation>Tiếp nhận: %1 số đo/giây</translation>
    </message>
    <message>
        <source>Rejected: %1</source>
        <translation>Bị từ chối: %1</translation>
    </message>
    <message>
        <source>Write lag: %1 readings, %2 s</source>
        <translation>Ghi chậm: %1 số đo, %2 giây</translation>
    </message>
    <message>
        <source>Log: all committed (%1 stored)</source>
        <translation>Nhật ký: đã ghi đủ (%1 số đo)</translation>
    </message>
    <message>
        <source>%1 commit retries</source>
        <translation>%1 lần ghi lại</translation>
    </message>
    <message>
        <source>Disk: %1 free · log %2</source>
        <translation>Đĩa: còn trống %1 · nhật ký %2</translation>
    </message>
    <message>
        <source>LOG CANNOT WRITE</source>
        <translation>NHẬT KÝ KHÔNG GHI ĐƯỢC</translation>
    </message>
    <message>
        <source>DISK LOW</source>
        <translation>ĐĨA SẮP ĐẦY</translation>
    </message>
    <message>
        <source>%1 readings NOT STORED</source>
        <translation>%1 số đo KHÔNG được lưu</translation>
    </message>
    <message>
        <source>IOC link: not configured</source>
        <translation>Liên kết IOC: chưa cấu hình</translation>
    </message>
    <message>
        <source>This site file has no [uplink] section (docs/CONFIG.md).</source>
        <translation>Tệp cấu hình trạm không có mục [uplink] (docs/CONFIG.md).</translation>
    </message>
    <message>
        <source>IOC: online</source>
        <translation>IOC: trực tuyến</translation>
    </message>
    <message>
        <source>IOC: REFUSED since %1</source>
        <translation>IOC: BỊ TỪ CHỐI từ %1</translation>
    </message>
    <message>
        <source>IOC: OFFLINE since %1</source>
        <translation>IOC: MẤT KẾT NỐI từ %1</translation>
    </message>
    <message>
        <source>IOC: connecting…</source>
        <translation>IOC: đang kết nối…</translation>
    </message>
    <message>
        <source>backlog %1</source>
        <translation>tồn %1</translation>
    </message>
    <message>
        <source>oldest %1 s</source>
        <translation>cũ nhất %1 giây</translation>
    </message>
    <message>
        <source>oldest %1 min</source>
        <translation>cũ nhất %1 phút</translation>
    </message>
    <message>
        <source>oldest %1 h</source>
        <translation>cũ nhất %1 giờ</translation>
    </message>
    <message>
        <source>last ack %1</source>
        <translation>xác nhận lúc %1</translation>
    </message>
    <message>
        <source>no ack yet</source>
        <translation>chưa có xác nhận</translation>
    </message>
    <message>
        <source>BACKLOG ABOVE %1</source>
        <translation>TỒN ĐỌNG VƯỢT %1</translation>
    </message>
</context>
<context>
    <name>TilesPanel</name>
    <message>
        <source>No tiles yet: select feeds in the browser and press Ctrl+T.</source>
        <translation>Chưa có ô hiển thị: chọn nguồn trong danh sách rồi bấm Ctrl+T.</translation>
    </message>
</context>
<context>
    <name>TrendPanel</name>
    <message>
        <source>Clear</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Span</source>
        <translation>Khoảng</translation>
    </message>
    <message>
        <source>Following (F)</source>
        <translation>Đang theo dõi (F)</translation>
    </message>
    <message>
        <source>Paused (F)</source>
        <translation>Tạm dừng (F)</translation>
    </message>
</context>
</TS>
